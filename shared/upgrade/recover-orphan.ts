import { rollBackNextComponent } from './components/roll-back-components.ts';
import { clientFor, emptyDeployment, replicasOf, withReplica } from './deploy/deployment-record.ts';
import { startedRecord } from './deploy/rollout.ts';
import type { ReplicaRecord } from './deploy-spec.ts';
import { verifyIbcPackets } from './ibc/verify-ibc-step.ts';
import { patchesOf, recordPatch, writeRecord } from './record-patch.ts';
import { recoverRolling } from './rolling/recover-rolling.ts';
import { smokeTest } from './steps/deploy.ts';
import { cancelUpgradeDrain } from './steps/drain.ts';
import {
  recordNeedsOperator,
  recordSucceeded,
  resumeOnPrevious,
  resumeOnTarget,
  rollBack,
} from './steps/finish.ts';
import { verifyServicesOnTarget } from './steps/verify-services.ts';
import type { UpgradeRecord } from './upgrade-record.ts';
import type { UpgradeServices } from './upgrade-services.ts';
import type { WorkflowState } from './workflow-state.ts';

/** What recovery found and did, recorded in the upgrade's `result.recovery`. */
export interface RecoveryReport {
  readonly decision: 'roll_forward' | 'cancel_drain' | 'roll_back' | 'needs_operator';
  readonly found: Record<string, unknown>;
  readonly message: string;
}

/** The workflow state an execution of this upgrade would carry, rebuilt from its record. */
function stateOf(record: UpgradeRecord, why: string): WorkflowState {
  return {
    scheduled: false,
    upgrade_id: record.id,
    from_version: record.from_version,
    config: record.config,
    rollback_attempts: { count: 0 },
    ...(record.checkpoint_id ? { checkpoint: { id: record.checkpoint_id, record_counts: {} } } : {}),
    error: { Error: 'ExecutionLost', Cause: why },
  };
}

/**
 * Replicas on the target version the record does not show as touched (their deploy call was cut off before it was
 * recorded, say), added to the deployment record as deployed so the rollback puts them back too. Asked, not trusted.
 */
async function recordReplicasFoundOnTarget(svc: UpgradeServices, record: UpgradeRecord): Promise<string[]> {
  const found: string[] = [];
  let dep = record.deployment ?? null;
  for (const service of record.config.services) {
    if (service.deploy.mode !== 'hooks') continue;
    const spec = service.deploy;
    const client = clientFor(spec);
    const known = replicasOf(dep?.replicas ?? [], service.name);
    for (const t of spec.targets) {
      if (known.some((r) => r.name === t.name)) continue;
      if ((await client.version(t).catch(() => null)) !== record.to_version) continue;
      found.push(`${service.name} ${t.name}`);
      const r: ReplicaRecord = {
        ...startedRecord(service.name, t.name, record.from_version, record.to_version, 'deploying'),
        outcome: 'deployed',
        cause: 'found on the target version by recovery',
      };
      dep = {
        ...(dep ?? emptyDeployment(record.requested_by)),
        replicas: withReplica(dep?.replicas ?? [], r),
      };
    }
  }
  if (found.length && dep)
    await writeRecord(svc.upgrades, record.id, recordPatch('deployment', { deployment: dep }));
  return found;
}

/**
 * An upgrade whose execution can no longer resume (lost, failed, timed out or aborted outside the workflow)
 * still holds the lock and may have left the system fenced. Recovery judges from the records and checks reality:
 * - the switch to the target version was durable (mode Active or Resuming on it): roll forward: finish the
 *   resume, run the smoke test, record the upgrade as succeeded;
 * - nothing was migrated yet (Draining or Drained): cancel the drain;
 * - otherwise roll back everything the upgrade touched, newest change first: the replicas (those found on the
 *   target version too), service by service, then the contracts (from the recorded intent, checked on chain), the data (the checkpoint, or reversed migrations), then resume
 *   on the old version.
 * Each step is the workflow's own, safe to run again, so a recovery interrupted in turn is simply run again.
 */
export async function recoverOrphanedUpgrade(
  svc: UpgradeServices,
  record: UpgradeRecord,
  why = 'the execution stopped running',
  byOperator = false,
): Promise<RecoveryReport> {
  const state = stateOf(record, why);
  const mode = await svc.fence.readMode();
  const found: Record<string, unknown> = { mode: mode.mode, version: mode.version };
  await writeRecord(
    svc.upgrades,
    record.id,
    recordPatch('execution', {
      current_step: 'Recovering',
      ...(byOperator ? { abort_requested: true } : {}),
    }),
  );
  let report: RecoveryReport;
  if (record.config.strategy === 'rolling') {
    report = await recoverRolling(svc, state);
  } else if ((mode.mode === 'Active' || mode.mode === 'Resuming') && mode.version === record.to_version) {
    await resumeOnTarget(svc, state);
    const smoke = await smokeTest(svc, state);
    // Succeeded only with every replica read once more on the target (a replica may have restarted meanwhile).
    const off = await verifyServicesOnTarget(svc, state).then(
      () => null,
      (e: Error) => e.message,
    );
    if (off) {
      await recordNeedsOperator(svc, { ...state, error: { Error: 'ReplicasNotOnTarget', Cause: off } });
      report = { decision: 'needs_operator', found: { ...found, smoke_test_ok: smoke.ok }, message: off };
    } else {
      // "Verify IBC packet state" once: recorded on the upgrade, as the workflow's verification would.
      const ibc = await verifyIbcPackets(svc, state).catch(() => null);
      for (const patch of patchesOf(ibc)) await writeRecord(svc.upgrades, record.id, patch);
      report = {
        decision: 'roll_forward',
        found: { ...found, smoke_test_ok: smoke.ok },
        message: `the switch to ${record.to_version} was durable: resume finished and the upgrade completed`,
      };
      await recordSucceeded(svc, { ...state, error: undefined } as WorkflowState);
    }
  } else if (mode.mode === 'Draining' || mode.mode === 'Drained' || mode.mode === 'Active') {
    await cancelUpgradeDrain(svc, state);
    report = {
      decision: 'cancel_drain',
      found,
      message: `nothing was migrated: drain cancelled; ${record.from_version} admits intents again`,
    };
  } else {
    found.replicas_found_on_target = await recordReplicasFoundOnTarget(svc, record);
    // The workflow's own rollback, newest change first: replicas service by service, then the contracts.
    const undone: unknown[] = [];
    for (let i = 0; i < 1000; i++) {
      const step = await rollBackNextComponent(svc, state);
      if (step.done) break;
      undone.push(step);
    }
    found.components_rolled_back = undone;
    found.data = await rollBack(svc, state);
    report = await resumeOrFence(svc, state, found, record);
  }
  const after = await svc.upgrades.get(record.id);
  await writeRecord(
    svc.upgrades,
    record.id,
    recordPatch('progress', {
      current_step: null,
      result: {
        ...(after?.result ?? {}),
        recovery: { ...report, why, at: new Date(svc.clock.now()).toISOString() },
      },
    }),
  );
  return report;
}

/** Resumes the old version once rolled back; a replica that could not be put back leaves it fenced for an operator. */
async function resumeOrFence(
  svc: UpgradeServices,
  state: WorkflowState,
  found: Record<string, unknown>,
  record: UpgradeRecord,
): Promise<RecoveryReport> {
  try {
    await resumeOnPrevious(svc, state);
  } catch (err) {
    if ((err as Error).name !== 'ReplicaRollbackFailed') throw err;
    const Cause = (err as Error).message;
    await recordNeedsOperator(svc, { ...state, error: { Error: 'ReplicaRollbackFailed', Cause } });
    return { decision: 'needs_operator', found, message: Cause };
  }
  return {
    decision: 'roll_back',
    found,
    message: `rolled back (services, contracts, data from checkpoint ${record.checkpoint_id ?? '-'}) and resumed on ${record.from_version}`,
  };
}
