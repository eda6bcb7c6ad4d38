import { checkDrain } from '../../shared/upgrade/steps/drain.ts';
import { workflowTask } from './workflow-task.ts';

/** Upgrade workflow Task "Check drain progress" (ASL placeholder ${CheckDrainFunctionArn}). */
export const handler = workflowTask('Check drain progress', checkDrain, { pollingStep: true });
