import { waitForGovernance } from '../../shared/upgrade/contract/contract-steps.ts';
import type { WorkflowState } from '../../shared/upgrade/workflow-state.ts';
import { workflowTask } from './workflow-task.ts';

/**
 * Upgrade workflow Task "Wait for governance migration" (ASL placeholder ${WaitForGovernanceFunctionArn}), run as
 * lambda:invoke.waitForTaskToken: it records the task token; POST /admin/upgrade/{id}/confirm-migration ends the wait.
 */
export const handler = workflowTask(
  'Wait for governance migration',
  (svc, state) => waitForGovernance(svc, state, (state as WorkflowState & { task_token: string }).task_token),
  { perComponent: true },
);
