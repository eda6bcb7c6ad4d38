import { rollBackContract } from './contract/contract-steps.ts';
import { httpReplicaClient } from './deploy/replica-client.ts';
import { rollBackReplica } from './deploy/rollout.ts';
import type { DeploymentRecord, DeploySpec, ReplicaRecord } from './deploy-spec.ts';
import { recordPatch, writeRecord } from './record-patch.ts';
import { smokeTest } from './steps/deploy.ts';
import { cancelUpgradeDrain } from './steps/drain.ts';
import {
  recordNeedsOperator,
  recordSucceeded,
  resumeOnPrevious,
  resumeOnTarget,
  rollBack,
} from './steps/finish.ts';
import type { UpgradeRecord } from './upgrade-record.ts';
import type { UpgradeServices } from './upgrade-services.ts';
import type { WorkflowState } from './workflow-state.ts';

type Hooks = Extract<DeploySpec, { mode: 'hooks' }>;

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

/** Replicas whose version URL reports the target version (asked, not trusted from the record). */
async function replicasOnTarget(record: UpgradeRecord): Promise<ReplicaRecord[]> {
  const spec = record.config.deploy;
  if (spec.mode !== 'hooks') return [];
  const client = httpReplicaClient({ requestTimeoutSecs: spec.request_timeout_secs, retries: spec.retries });
  const known = new Map((record.deployment?.replicas ?? []).map((r) => [r.name, r]));
  const out: ReplicaRecord[] = [];
  for (const t of spec.targets) {
    const version = await client.version(t).catch(() => null);
    if (version !== record.to_version) continue;
    const from = known.get(t.name)?.from ?? record.from_version;
    out.push({
      name: t.name,
      from,
      to: record.to_version,
      started_at: new Date().toISOString(),
      healthy_at: null,
      outcome: 'deployed',
      cause: 'found on the target version by recovery',
      duration_ms: 0,
    });
  }
  return out;
}

/**
 * An upgrade whose execution can no longer resume (lost, failed, timed out or aborted outside the workflow)
 * still holds the lock and may have left the system fenced. Recovery judges from the records and checks reality:
 * - the switch to the target version was durable (mode Active or Resuming on it): roll forward: finish the
 *   resume, run the smoke test, record the upgrade as succeeded;
 * - nothing was migrated yet (Draining or Drained): cancel the drain;
 * - otherwise roll back everything the upgrade touched: the replicas found on the target version, the contract
 *   (from the recorded intent, checked on chain), the data (the checkpoint, or reversed migrations), then resume
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
  if ((mode.mode === 'Active' || mode.mode === 'Resuming') && mode.version === record.to_version) {
    await resumeOnTarget(svc, state);
    const smoke = await smokeTest(svc, state);
    report = {
      decision: 'roll_forward',
      found: { ...found, smoke_test_ok: smoke.ok },
      message: `the switch to ${record.to_version} was durable: resume finished and the upgrade completed`,
    };
    await recordSucceeded(svc, { ...state, error: undefined } as WorkflowState);
  } else if (mode.mode === 'Draining' || mode.mode === 'Drained' || mode.mode === 'Active') {
    await cancelUpgradeDrain(svc, state);
    report = {
      decision: 'cancel_drain',
      found,
      message: `nothing was migrated: drain cancelled; ${record.from_version} admits intents again`,
    };
  } else {
    const onTarget = await replicasOnTarget(record);
    found.replicas_on_target = onTarget.map((r) => r.name);
    if (onTarget.length && record.config.deploy.mode === 'hooks') {
      const spec = record.config.deploy as Hooks;
      const client = httpReplicaClient({
        requestTimeoutSecs: spec.request_timeout_secs,
        retries: spec.retries,
      });
      // Newest first, one at a time, as the workflow's own replica rollback does.
      const back: ReplicaRecord[] = [];
      for (const r of [...onTarget].reverse()) back.push(await rollBackReplica(client, spec, r));
      const dep = (record.deployment ?? null) as DeploymentRecord | null;
      if (dep)
        await writeRecord(
          svc.upgrades,
          record.id,
          recordPatch('deployment', {
            deployment: { ...dep, rollback: [...dep.rollback, ...back] },
          }),
        );
      found.replicas_rolled_back = back.map((r) => `${r.name} ${r.outcome}`);
    }
    if (record.config.contract) {
      const info = await svc.chain().contractInfo(record.config.contract.address);
      found.contract_code_id = info.codeId;
      found.contract = await rollBackContract(svc, state);
    }
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
    message: `rolled back (replicas, contract, data from checkpoint ${record.checkpoint_id ?? '-'}) and resumed on ${record.from_version}`,
  };
}
