import { reverseRecords } from '../../migration/migrator.ts';
import { replicasNotBack } from '../deploy/rollout.ts';
import type { UpgradeServices } from '../upgrade-services.ts';
import { causeOf, StepFailure, type WorkflowState } from '../workflow-state.ts';
import { finishUpgrade, migrationChain, stepCaller } from './common.ts';

/** Step 8a: resume on the target version and stop admitting deprecated versions. */
export async function resumeOnTarget(svc: UpgradeServices, s: WorkflowState) {
  const mode = await svc.fence.readMode();
  const status =
    mode.mode === 'Active' && mode.version === s.config.target_version
      ? await svc.drain.status()
      : await svc.drain.resume(stepCaller(s), s.config.target_version);
  if (s.config.deprecate_versions.length) {
    await svc.drain.setDeprecatedVersions(stepCaller(s), [
      ...mode.deprecatedVersions,
      ...s.config.deprecate_versions,
    ]);
  }
  return { mode: status.mode, version: status.version };
}

/** Step 8b: the upgrade in the history. */
export async function recordSucceeded(svc: UpgradeServices, s: WorkflowState) {
  const record = await svc.upgrades.get(s.upgrade_id);
  const durationSecs = record ? Math.round((svc.clock.now() - record.started_at) / 1000) : null;
  await finishUpgrade(svc, s, 'succeeded', null, {
    checkpoint_id: s.checkpoint?.id ?? null,
    records_migrated: s.migration?.completed ?? 0,
    duration_secs: durationSecs,
  });
  return { outcome: 'succeeded', duration_secs: durationSecs };
}

/**
 * Rollback: restore every checkpointed record as it was (the checkpoint is validated first and never used if it
 * fails). If it cannot be used, reverse the migrations instead when every step is reversible.
 */
export async function rollBack(svc: UpgradeServices, s: WorkflowState) {
  if (!s.checkpoint) throw new StepFailure('RollbackImpossible', 'no checkpoint was taken');
  try {
    const restored = await svc.checkpoints.restore(s.checkpoint.id);
    return { method: 'checkpoint', checkpoint_id: s.checkpoint.id, ...restored };
  } catch (err) {
    if ((err as { code?: string }).code !== 'checkpoint_invalid') throw err;
    const reversed = await reverseRecords(svc.records, migrationChain(svc, s)).catch((e: Error) => {
      throw new StepFailure('RollbackFailed', `${(err as Error).message}; and ${e.message}`);
    });
    return { method: 'reverse_migrations', reversed, checkpoint_problem: (err as Error).message };
  }
}

/**
 * After a rollback: resume on the old version, and end the upgrade as rolled back (or aborted) with its cause. Not
 * while a replica could not be put back: the old version would run beside the new one, so the step fails (the
 * workflow records needs_operator, fence held) naming each such replica.
 */
export async function resumeOnPrevious(svc: UpgradeServices, s: WorkflowState) {
  const left = replicasNotBack((await svc.upgrades.get(s.upgrade_id))?.deployment?.rollback ?? []);
  if (left.length)
    throw new StepFailure(
      'ReplicaRollbackFailed',
      `not resuming ${s.from_version}: ${left.join('; ')}. The data is restored; put each replica back on ${s.from_version} ` +
        `and check it, then POST /admin/drain/resume {"version": "${s.from_version}"}`,
    );
  const mode = await svc.fence.readMode();
  if (!(mode.mode === 'Active' && mode.version === s.from_version))
    await svc.drain.resume(stepCaller(s), s.from_version);
  const record = await svc.upgrades.get(s.upgrade_id);
  const baked = s.bake?.verdict === 'tripped' || !!s.bake_checkpoint;
  const aborted =
    record?.abort_requested === true && (s.error?.Error === 'AbortRequested' || s.bake?.aborted === true);
  const how = baked
    ? `${s.bake?.verdict === 'tripped' ? 'the bake tripped' : 'after resume'} (${s.bake?.trigger ?? causeOf(s.error)}); drained, checkpointed (${s.bake_checkpoint?.id ?? '-'}), migrations reversed, and resumed on ${s.from_version}`
    : `${causeOf(s.error)}; rolled back to checkpoint ${s.checkpoint?.id ?? '-'} and resumed on ${s.from_version}`;
  await finishUpgrade(svc, s, aborted ? 'aborted' : 'rolled_back', how);
  return { version: s.from_version, outcome: aborted ? 'aborted' : 'rolled_back' };
}

/** Rollback failed every attempt (or a drain could not be cancelled): the system stays fenced for an operator. */
export async function recordNeedsOperator(svc: UpgradeServices, s: WorkflowState) {
  const mode = await svc.fence.readMode();
  const cause = `${causeOf(s.error)}; then ${causeOf(s.rollback_error ?? s.error)}`;
  const message = `needs an operator: the system is left ${mode.mode} (not admitting intents) after ${cause}. Inspect GET /admin/upgrades/${s.upgrade_id}, repair, then POST /admin/drain/resume`;
  await finishUpgrade(svc, s, 'needs_operator', message);
  return { mode: mode.mode, message };
}
