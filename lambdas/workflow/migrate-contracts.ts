import { migrateContract } from '../../shared/upgrade/contract/contract-steps.ts';
import { chainTask } from './chain-task.ts';

/** Upgrade workflow Task "Migrate contract" (ASL placeholder ${MigrateContractsFunctionArn}): the contract at the cursor, verified. */
export const handler = chainTask('Migrate contract', migrateContract, { perComponent: true });
