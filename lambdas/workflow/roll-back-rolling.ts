import { rollBackRolling } from '../../shared/upgrade/rolling/roll-back-rolling.ts';
import { workflowTask } from './workflow-task.ts';

/** Upgrade workflow Task "Roll back rolled replicas" (ASL placeholder ${RollBackRollingFunctionArn}). */
export const handler = workflowTask('Roll back rolled replicas', rollBackRolling, { pollingStep: true });
