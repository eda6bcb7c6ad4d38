import { recoverOrphanedUpgrade } from '../../shared/upgrade/recover-orphan.ts';
import type { RecoveryRequest } from '../../shared/upgrade/workflow-engine.ts';
import { workflowTask } from './workflow-task.ts';

const task = workflowTask('Recover interrupted upgrade', async (svc, state) => {
  const request = state as unknown as RecoveryRequest;
  const record = await svc.upgrades.get(request.upgrade_id);
  if (record?.state !== 'running') return { skipped: true, reason: 'the upgrade has ended already' };
  return recoverOrphanedUpgrade(svc, record, request.reason, request.by_operator);
});

/**
 * Recovery of an upgrade whose execution cannot resume (ASL placeholder ${RecoverUpgradeFunctionArn} once wired):
 * `{upgrade_id, reason, by_operator}`. Started in the background by POST /admin/upgrade/abort, by the embedded
 * runtime at start, and on AWS by a rule on executions that ended FAILED, TIMED_OUT or ABORTED.
 */
export const handler = (event: RecoveryRequest): Promise<unknown> => task(event as never);
