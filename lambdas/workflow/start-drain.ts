import { startUpgradeDrain } from '../../shared/upgrade/steps/drain.ts';
import { workflowTask } from './workflow-task.ts';

/** Upgrade workflow Task "Start drain" (ASL placeholder ${StartDrainFunctionArn}). */
export const handler = workflowTask('Start drain', startUpgradeDrain);
