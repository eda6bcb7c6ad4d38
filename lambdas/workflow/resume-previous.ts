import { resumeOnPrevious } from '../../shared/upgrade/steps/finish.ts';
import { emitUpgradeOutcome } from '../telemetry/drain-metrics.ts';
import { workflowTask } from './workflow-task.ts';

/** Upgrade workflow Task "Resume on previous version" (ASL placeholder ${ResumePreviousFunctionArn}); counts the rollback. */
export const handler = workflowTask('Resume on previous version', async (svc, state) => {
  const result = await resumeOnPrevious(svc, state);
  emitUpgradeOutcome('rolled_back', null);
  return result;
});
