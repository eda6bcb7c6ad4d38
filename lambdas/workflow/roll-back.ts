import { rollBack } from '../../shared/upgrade/steps/finish.ts';
import { workflowTask } from './workflow-task.ts';

/** Upgrade workflow Task "Roll back to checkpoint" (ASL placeholder ${RollBackFunctionArn}). */
export const handler = workflowTask('Roll back to checkpoint', rollBack);
