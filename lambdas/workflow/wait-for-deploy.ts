import { waitForDeploy } from '../../shared/upgrade/steps/deploy.ts';
import type { WorkflowState } from '../../shared/upgrade/workflow-state.ts';
import { workflowTask } from './workflow-task.ts';

/**
 * Upgrade workflow Task "Wait for operator deploy" (ASL placeholder ${WaitForDeployFunctionArn}), run as
 * lambda:invoke.waitForTaskToken: it records the task token and returns; the step ends when an operator calls
 * POST /admin/upgrade/{id}/continue (SendTaskSuccess), aborts, or the deploy timeout passes.
 */
export const handler = workflowTask(
  'Wait for operator deploy',
  (svc, state) => waitForDeploy(svc, state, (state as WorkflowState & { task_token: string }).task_token),
  { perComponent: true },
);
