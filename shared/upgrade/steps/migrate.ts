import { runChecks } from '../../health/health.ts';
import { migrateRecords } from '../../migration/migrator.ts';
import { snapshotContracts } from '../contract/contract-snapshot.ts';
import { withChainStatus } from '../ibc/packet-readings.ts';
import { recordPatch, withPatches, writeRecord } from '../record-patch.ts';
import type { RunConfig } from '../upgrade-config.ts';
import type { UpgradeServices } from '../upgrade-services.ts';
import { StepFailure, type WorkflowState } from '../workflow-state.ts';
import { blocking, describeChecks, migrationChain, stepCaller } from './common.ts';

/** Step 5: checkpoint inflight state to S3. A retry reuses a checkpoint this upgrade already wrote, once validated. */
export async function checkpointState(svc: UpgradeServices, s: WorkflowState) {
  // Freeze first: an update answered 2xx is then either in the checkpoint or refused (503) until resume, so a
  // rollback can never overwrite an acknowledged write.
  await svc.inflight.freezeAll(s.upgrade_id);
  const record = await svc.upgrades.get(s.upgrade_id);
  const written = await reusableCheckpoint(svc, record?.checkpoint_id);
  if (written) return written;
  const mode = await svc.fence.readMode();
  const contracts = await snapshotContracts(svc, s);
  const manifest = await svc.checkpoints.create({
    upgradeId: s.upgrade_id,
    protocolVersion: s.from_version,
    config: { upgrade: s.config, mode },
    packetStatus: (entries) => withChainStatus(svc, entries),
    // Seed 001's list: contract configs, inflight settlements, escrow states, solver bond states (each tagged with
    // its contract), beside the stored intents and order-book entries the checkpoint service writes itself.
    extraSources: contracts.before.length
      ? [
          { name: 'contract_configs', records: () => listOf(contracts.before) },
          { name: 'inflight_settlements', records: () => listOf(contracts.settlements) },
          { name: 'escrow_states', records: () => listOf(contracts.escrows) },
          { name: 'solver_bond_states', records: () => listOf(contracts.bonds) },
        ]
      : [],
  });
  await writeRecord(
    svc.upgrades,
    s.upgrade_id,
    recordPatch('checkpoint', { checkpoint_id: manifest.id, progress_pct: 50 }),
  );
  return { id: manifest.id, record_counts: manifest.record_counts };
}

/** A checkpoint a retried step wrote already, if it validates (else null: write it again). */
export async function reusableCheckpoint(
  svc: UpgradeServices,
  id: string | null | undefined,
): Promise<{ id: string; record_counts: Record<string, number> } | null> {
  if (!id) return null;
  const check = await svc.checkpoints.validate(id);
  return check.valid && check.manifest
    ? { id: check.manifest.id, record_counts: check.manifest.record_counts }
    : null;
}

/** Step 6a: Drained → Upgrading. */
export async function markUpgrading(svc: UpgradeServices, s: WorkflowState) {
  const mode = await svc.fence.readMode();
  if (mode.mode === 'Upgrading' && mode.targetVersion === s.config.target_version) return { mode: mode.mode };
  const status = await svc.drain.beginUpgrade(stepCaller(s), s.config.target_version);
  return { mode: status.mode };
}

/** Step 6b: migrate stored records along the path, with progress in the upgrade record. */
export async function migrateStoredRecords(svc: UpgradeServices, s: WorkflowState) {
  const chain = migrationChain(svc, s);
  const report = await migrateRecords(svc.records, chain, {
    runId: s.upgrade_id,
    onProgress: (p) =>
      writeRecord(
        svc.upgrades,
        s.upgrade_id,
        recordPatch('migration', {
          migration_progress: p,
          records_migrated: p.completed,
          progress_pct: 55 + Math.floor(0.3 * p.pct),
        }),
      ),
  });
  await writeRecord(
    svc.upgrades,
    s.upgrade_id,
    recordPatch('migration', { migration_progress: report, records_migrated: report.completed }),
  );
  if (report.failed > 0) {
    throw new StepFailure(
      'MigrationFailed',
      `${report.failed} of ${report.total} records failed to migrate: ${report.errors.join('; ')}`,
    );
  }
  return report;
}

/**
 * A maintenance upgrade the operator resumed on a new protocol version: the upgrade targets it from now on (its
 * record first, so a recovery reads the same), and its stored records are migrated to it. Returns the new config.
 */
export async function migrateToOperatorVersion(svc: UpgradeServices, s: WorkflowState): Promise<RunConfig> {
  const version = s.deployment?.version ?? s.config.target_version;
  const config: RunConfig = { ...s.config, target_version: version };
  await writeRecord(svc.upgrades, s.upgrade_id, recordPatch('target', { to_version: version, config }));
  await migrateStoredRecords(svc, { ...s, config });
  return config;
}

async function* listOf<T>(items: readonly T[]): AsyncIterable<T> {
  yield* items;
}

/** Step 7: post-checks (and an operator's abort, honoured here by rolling back). */
export async function runPostChecks(svc: UpgradeServices, s: WorkflowState) {
  const record = await svc.upgrades.get(s.upgrade_id);
  if (record?.abort_requested) throw new StepFailure('AbortRequested', 'an operator aborted the upgrade');
  const results = await runChecks(svc.checksFor(s.config.post_checks), s.config.check_timeout_secs);
  const bad = blocking(results, s.config.allow_degraded, s.config.post_checks);
  if (bad.length) throw new StepFailure('PostChecksFailed', `post-checks failed: ${describeChecks(bad)}`);
  return withPatches({ results }, recordPatch('progress', { progress_pct: 90 }));
}
