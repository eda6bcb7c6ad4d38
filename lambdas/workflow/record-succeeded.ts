import { recordSucceeded } from '../../shared/upgrade/steps/finish.ts';
import { workflowTask } from './workflow-task.ts';

/** Upgrade workflow Task "Record upgrade in history" (ASL placeholder ${RecordSucceededFunctionArn}). */
export const handler = workflowTask('Record upgrade in history', recordSucceeded);
