import { migrateContracts } from '../../shared/upgrade/steps/migrate.ts';
import { workflowTask } from './workflow-task.ts';

/** Upgrade workflow Task "Migrate contracts" (ASL placeholder ${MigrateContractsFunctionArn}). */
export const handler = workflowTask('Migrate contracts', migrateContracts);
