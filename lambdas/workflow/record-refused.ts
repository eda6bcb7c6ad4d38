import { recordRefused } from '../../shared/upgrade/steps/before-drain.ts';
import { workflowTask } from './workflow-task.ts';

/** Upgrade workflow Task "Record upgrade refused before drain" (ASL placeholder ${RecordRefusedFunctionArn}). */
export const handler = workflowTask('Record upgrade refused before drain', recordRefused);
