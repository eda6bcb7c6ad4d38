import { checkRollbackDrain } from '../../shared/upgrade/bake/rollback-after-resume.ts';
import { workflowTask } from './workflow-task.ts';

/** Upgrade workflow Task "Check rollback drain" (ASL placeholder ${CheckRollbackDrainFunctionArn}). */
export const handler = workflowTask('Check rollback drain', checkRollbackDrain, { pollingStep: true });
