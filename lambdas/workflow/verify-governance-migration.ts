import { verifyGovernanceMigration } from '../../shared/upgrade/contract/contract-steps.ts';
import { workflowTask } from './workflow-task.ts';

/** Upgrade workflow Task "Verify governance migration" (ASL placeholder ${VerifyGovernanceMigrationFunctionArn}). */
export const handler = workflowTask('Verify governance migration', verifyGovernanceMigration);
