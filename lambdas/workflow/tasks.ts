import { WORKFLOW_TASK_ENTRIES } from '../../shared/upgrade/workflow/definition.ts';

/**
 * Every Task of statemachines/upgrade.asl.json: its Resource placeholder (`${NameFunctionArn}`, substituted by
 * CDK on AWS) and the handler file in lambdas/workflow/ that runs it, on AWS and in the local interpreter. Read
 * from the workflow table (shared/upgrade/workflow/definition.ts).
 */
export const WORKFLOW_TASKS: Record<string, string> = Object.fromEntries(
  WORKFLOW_TASK_ENTRIES.map((t) => [t.fn, t.handler]),
);
