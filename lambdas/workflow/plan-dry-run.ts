import { planDryRun } from '../../shared/upgrade/steps/before-drain.ts';
import { workflowTask } from './workflow-task.ts';

/** Upgrade workflow Task "Plan the migration (dry run)" (ASL placeholder ${PlanDryRunFunctionArn}). */
export const handler = workflowTask('Plan the migration (dry run)', planDryRun);
