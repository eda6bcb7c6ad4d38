import { recoverOrphanedUpgrade } from '../../shared/upgrade/recover-orphan.ts';
import type { RecoveryRequest } from '../../shared/upgrade/workflow-engine.ts';
import { runtime } from '../http/runtime.ts';
import { chainTask } from './chain-task.ts';

const task = chainTask('Recover interrupted upgrade', async (svc, state) => {
  const request = state as unknown as RecoveryRequest;
  const record = await svc.upgrades.get(request.upgrade_id);
  if (record?.state !== 'running') return { skipped: true, reason: 'the upgrade has ended already' };
  return recoverOrphanedUpgrade(svc, record, request.reason, request.by_operator);
});

/** Upgrades that ended properly (most executions the rule sees) are left exactly as they are: not even a step. */
async function stillRunning(upgradeId: string): Promise<boolean> {
  const record = await runtime().cp.upgrade.upgrades.get(upgradeId);
  return record?.state === 'running';
}

/**
 * Recovery of an upgrade whose execution cannot resume (ASL placeholder ${RecoverUpgradeFunctionArn} once wired):
 * `{upgrade_id, reason, by_operator}`. Started in the background by POST /admin/upgrade/abort, by the embedded
 * runtime at start, and on AWS by a rule on executions that ended FAILED, TIMED_OUT or ABORTED.
 */
export const handler = async (event: RecoveryRequest): Promise<unknown> =>
  (await stillRunning(event.upgrade_id))
    ? task(event as never)
    : { skipped: true, reason: `upgrade ${event.upgrade_id} is not running (ended, or unknown)` };
