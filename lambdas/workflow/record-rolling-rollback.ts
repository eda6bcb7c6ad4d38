import { recordRollingRollback } from '../../shared/upgrade/rolling/record-rolling-rollback.ts';
import { emitUpgradeOutcome } from '../telemetry/drain-metrics.ts';
import { workflowTask } from './workflow-task.ts';

/** Upgrade workflow Task "Record rolling release rolled back" (ASL placeholder ${RecordRollingRollbackFunctionArn}). */
export const handler = workflowTask('Record rolling release rolled back', async (svc, state) => {
  const result = await recordRollingRollback(svc, state);
  emitUpgradeOutcome('rolled_back', null);
  return result;
});
