import { rollBackContract } from '../../shared/upgrade/contract/contract-steps.ts';
import { workflowTask } from './workflow-task.ts';

/** Upgrade workflow Task "Roll back contract" (ASL placeholder ${RollBackContractFunctionArn}): back to the old code id, verified. */
export const handler = workflowTask('Roll back contract', rollBackContract);
