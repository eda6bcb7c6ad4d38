import { runConfig, type UpgradeConfig } from './upgrade-config.ts';
import type { UpgradeRecord } from './upgrade-record.ts';
import type { UpgradeServices } from './upgrade-services.ts';

/**
 * A schedule fired (or an execution was started outside the API) but its upgrade could not start (another upgrade running, too soon after the last one, the
 * system not Active, an invalid request): the history gets an upgrade record with outcome `refused` and the
 * reason, under the execution's name, so nothing vanishes. No lock is taken and nothing else changes. Writing it
 * twice (a retried Task) keeps the first.
 */
export async function recordScheduledRefusal(
  svc: UpgradeServices,
  ref: { executionName: string; executionArn: string | null; scheduleName: string | null },
  config: UpgradeConfig,
  reason: string,
  startedBy: 'schedule' | 'execution' = 'schedule',
): Promise<void> {
  if (await svc.upgrades.get(ref.executionName)) return;
  const now = svc.clock.now();
  const mode = await svc.fence.readMode().catch(() => null);
  const record: UpgradeRecord = {
    id: ref.executionName,
    execution_name: ref.executionName,
    execution_arn: ref.executionArn,
    from_version: mode?.version ?? 'unknown',
    to_version: config.target_version ?? mode?.version ?? 'unknown',
    state: 'refused',
    started_at: now,
    finished_at: now,
    requested_by:
      startedBy === 'schedule'
        ? `scheduler:${ref.scheduleName ?? ref.executionName}`
        : `execution:${ref.executionName}`,
    reason: config.reason,
    config: runConfig(config, mode?.version ?? 'unknown'),
    current_step: null,
    progress_pct: 0,
    checkpoint_id: null,
    records_migrated: 0,
    migration_progress: null,
    abort_requested: false,
    error:
      startedBy === 'schedule'
        ? `the schedule fired but the upgrade was refused: ${reason}`
        : `an execution started outside the control plane was refused before draining: ${reason}`,
    result: null,
    schedule_name: ref.scheduleName,
  };
  await svc.upgrades.create(record);
}
