import { rollBackContract } from '../../shared/upgrade/contract/contract-steps.ts';
import { chainTask } from './chain-task.ts';

/** Upgrade workflow Task "Roll back contract" (ASL placeholder ${RollBackContractFunctionArn}): back to the old code id, verified. */
export const handler = chainTask('Roll back contract', rollBackContract);
