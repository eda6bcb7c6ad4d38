import { cancelUpgradeDrain } from './steps/drain.ts';
import { resumeOnPrevious, rollBack } from './steps/finish.ts';
import type { UpgradeRecord } from './upgrade-record.ts';
import type { UpgradeServices } from './upgrade-services.ts';
import type { WorkflowState } from './workflow-state.ts';

/**
 * An upgrade whose execution no longer runs (the embedded runtime restarted, or the execution was stopped from
 * the console) still holds the lock and may have left the system fenced. Aborting it runs the same steps the
 * workflow would: cancel a drain if nothing was migrated yet, otherwise roll back to the checkpoint and resume on
 * the old version.
 */
export async function recoverOrphanedUpgrade(svc: UpgradeServices, record: UpgradeRecord): Promise<string> {
  const state: WorkflowState = {
    scheduled: false,
    upgrade_id: record.id,
    from_version: record.from_version,
    config: record.config,
    rollback_attempts: { count: 0 },
    ...(record.checkpoint_id ? { checkpoint: { id: record.checkpoint_id, record_counts: {} } } : {}),
    error: { Error: 'ExecutionLost', Cause: 'the execution stopped running; recovered by an operator abort' },
  };
  const mode = await svc.fence.readMode();
  if (mode.mode === 'Upgrading' || (mode.mode === 'Resuming' && mode.version !== record.from_version)) {
    await rollBack(svc, state);
    await resumeOnPrevious(svc, state);
    return `rolled back to checkpoint ${record.checkpoint_id ?? '-'} and resumed on ${record.from_version}`;
  }
  await svc.upgrades.update(record.id, { abort_requested: true });
  await cancelUpgradeDrain(svc, state);
  return `drain cancelled; ${record.from_version} admits intents again`;
}
