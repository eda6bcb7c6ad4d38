import { cancelUpgradeDrain } from '../../shared/upgrade/steps/drain.ts';
import { workflowTask } from './workflow-task.ts';

/** Upgrade workflow Task "Cancel drain and resume old version" (ASL placeholder ${CancelDrainFunctionArn}). */
export const handler = workflowTask('Cancel drain and resume old version', cancelUpgradeDrain);
