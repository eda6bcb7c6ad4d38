import { forceUpgradeDrain } from '../../shared/upgrade/steps/drain.ts';
import { workflowTask } from './workflow-task.ts';

/** Upgrade workflow Task "Force drain" (ASL placeholder ${ForceDrainFunctionArn}). */
export const handler = workflowTask('Force drain', forceUpgradeDrain);
