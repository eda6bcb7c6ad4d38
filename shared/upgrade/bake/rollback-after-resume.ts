import { reverseRecords } from '../../migration/migrator.ts';
import { recordPatch, writeRecord } from '../record-patch.ts';
import { migrationChain, stepCaller } from '../steps/common.ts';
import { drainWaitSecs } from '../steps/drain.ts';
import { reusableCheckpoint } from '../steps/migrate.ts';
import type { UpgradeServices } from '../upgrade-services.ts';
import { causeOf, StepFailure, type WorkflowState } from '../workflow-state.ts';

/** The rollback drain looks less often once old: its checks must fit the history next to the first drain's. */
export const ROLLBACK_DRAIN_CHECKS = 300;

const rollbackReason = (s: WorkflowState) =>
  `upgrade ${s.upgrade_id}: rolling back after resume (${s.bake?.trigger ?? (s.error ? causeOf(s.error) : 'the bake could not be checked')})`;

/**
 * "Drain again for rollback": the same fence and timeout rules as the upgrade's own drain, from Active on the new
 * version. A retry finds its own drain under way.
 */
export async function startRollbackDrain(svc: UpgradeServices, s: WorkflowState) {
  const mode = await svc.fence.readMode();
  await writeRecord(svc.upgrades, s.upgrade_id, recordPatch('progress', { progress_pct: 96 }));
  if (mode.mode !== 'Active' && mode.reason === rollbackReason(s)) return svc.drain.status();
  return svc.drain.startDrain(stepCaller(s), rollbackReason(s), s.config.drain_timeout_secs);
}

/** One look at the rollback drain, and the wait before the next. */
export async function checkRollbackDrain(svc: UpgradeServices, s: WorkflowState) {
  const status = await svc.drain.status();
  return { ...status, wait_secs: drainWaitSecs(status, s, svc.clock.now(), ROLLBACK_DRAIN_CHECKS) };
}

/**
 * "Checkpoint before reversing": freezes every intent and writes the state as it is on the new version (the new
 * intents included) to S3, so what the reversal changes can be inspected or restored. A retry reuses it.
 */
export async function checkpointBeforeReverse(svc: UpgradeServices, s: WorkflowState) {
  await svc.inflight.freezeAll(s.upgrade_id);
  const record = await svc.upgrades.get(s.upgrade_id);
  const written = await reusableCheckpoint(svc, record?.bake_checkpoint_id);
  if (written) return written;
  const mode = await svc.fence.readMode();
  const manifest = await svc.checkpoints.create({
    upgradeId: s.upgrade_id,
    protocolVersion: s.config.target_version,
    config: { upgrade: s.config, mode, after_bake: s.bake ?? null },
    extraSources: [],
  });
  await writeRecord(
    svc.upgrades,
    s.upgrade_id,
    recordPatch('checkpoint', { bake_checkpoint_id: manifest.id, progress_pct: 97 }),
  );
  return { id: manifest.id, record_counts: manifest.record_counts };
}

/** "Mark upgrading for rollback": Drained -> Upgrading towards the previous version (nothing is admitted). */
export async function markRollingBack(svc: UpgradeServices, s: WorkflowState) {
  const mode = await svc.fence.readMode();
  if (mode.mode === 'Upgrading' && mode.targetVersion === s.from_version) return { mode: mode.mode };
  const status = await svc.drain.beginUpgrade(stepCaller(s), s.from_version);
  return { mode: status.mode };
}

/**
 * "Reverse migrations": every record on the target version back to the previous version's format, the intents
 * admitted during the bake included. A path with an irreversible step stops here (NotReversible): the fence holds
 * and an operator decides (the checkpoint before reversing has the state).
 */
export async function reverseAfterBake(svc: UpgradeServices, s: WorkflowState) {
  const chain = migrationChain(svc, s);
  const irreversible = chain.filter((m) => !m.reverse).map((m) => `${m.from}->${m.to}`);
  if (irreversible.length)
    throw new StepFailure(
      'NotReversible',
      `the migration path has irreversible steps (${irreversible.join(', ')}): records stay on ${s.config.target_version}; ` +
        `restore them by hand from checkpoint ${s.bake_checkpoint?.id ?? '-'} or resume on the target with POST /admin/drain/resume {"version":"${s.config.target_version}"}`,
    );
  const reversed = await reverseRecords(svc.records, chain);
  return { reversed, to_version: s.from_version };
}
