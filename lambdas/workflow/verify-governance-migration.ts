import { verifyGovernanceMigration } from '../../shared/upgrade/contract/contract-steps.ts';
import { chainTask } from './chain-task.ts';

/** Upgrade workflow Task "Verify governance migration" (ASL placeholder ${VerifyGovernanceMigrationFunctionArn}). */
export const handler = chainTask('Verify governance migration', verifyGovernanceMigration, {
  perComponent: true,
});
