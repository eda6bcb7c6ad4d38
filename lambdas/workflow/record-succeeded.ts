import { recordSucceeded } from '../../shared/upgrade/steps/finish.ts';
import { emitUpgradeOutcome } from '../telemetry/drain-metrics.ts';
import { workflowTask } from './workflow-task.ts';

/** Upgrade workflow Task "Record upgrade in history" (ASL placeholder ${RecordSucceededFunctionArn}); emits the duration. */
export const handler = workflowTask('Record upgrade in history', async (svc, state) => {
  const result = await recordSucceeded(svc, state);
  emitUpgradeOutcome('succeeded', result.duration_secs);
  return result;
});
