import { recoverOrphanedUpgrade } from '../../shared/upgrade/recover-orphan.ts';
import type { RecoveryRequest } from '../../shared/upgrade/workflow-engine.ts';
import { adminServices } from '../compose/admin-services.ts';
import { bindable } from '../compose/aws-environment.ts';
import type { Environment } from '../compose/environment.ts';
import { logger } from '../telemetry/logger.ts';
import { chainTask } from './chain-task.ts';

const task = chainTask('Recover interrupted upgrade', async (svc, state) => {
  const request = state as unknown as RecoveryRequest;
  const record = await svc.upgrades.get(request.upgrade_id);
  if (record?.state !== 'running') return { skipped: true, reason: 'the upgrade has ended already' };
  return recoverOrphanedUpgrade(svc, record, request.reason, request.by_operator);
});

/**
 * Why recovery leaves this upgrade alone, or null to recover it. Upgrades that ended properly (most executions the
 * rule sees) are left exactly as they are: not even a step. So is one whose own execution still runs: recovery is
 * only for an execution that stopped, and one started by hand (`{recover}` with states:StartExecution) must not roll
 * back a live upgrade under its feet.
 */
async function leaveAlone(env: Environment, upgradeId: string): Promise<string | null> {
  const { cp, reads } = adminServices(env);
  const record = await cp.upgrade.upgrades.get(upgradeId);
  if (record?.state !== 'running') return `upgrade ${upgradeId} is not running (ended, or unknown)`;
  if (await reads.executionRunning(record, false)) {
    logger.warn('recovery refused: the execution of the upgrade is running', { upgrade_id: upgradeId });
    return `upgrade ${upgradeId} is still running in its own execution (${record.execution_arn}): nothing to recover`;
  }
  return null;
}

/**
 * Recovery of an upgrade whose execution cannot resume (ASL placeholder ${RecoverUpgradeFunctionArn} once wired):
 * `{upgrade_id, reason, by_operator}`. Started in the background by POST /admin/upgrade/abort, by the embedded
 * runtime at start, and on AWS by a rule on executions that ended FAILED, TIMED_OUT or ABORTED.
 */
export const handler = bindable((envOf) => async (event: RecoveryRequest): Promise<unknown> => {
  const env = envOf();
  const reason = await leaveAlone(env, event.upgrade_id);
  return reason ? { skipped: true, reason } : task.withEnvironment(env)(event as never);
});
