import { smokeTest } from '../../shared/upgrade/steps/deploy.ts';
import { emitUpgradeOutcome } from '../telemetry/drain-metrics.ts';
import { workflowTask } from './workflow-task.ts';

/** Upgrade workflow Task "Smoke test after resume" (ASL placeholder ${SmokeTestFunctionArn}); a failure raises the SmokeTestFailed alarm. */
export const handler = workflowTask('Smoke test after resume', async (svc, state) => {
  const result = await smokeTest(svc, state);
  if (!result.ok) emitUpgradeOutcome('smoke_test_failed', null);
  return result;
});
