import { migrateContracts } from '../../shared/upgrade/steps/migrate.ts';
import { chainTask } from './chain-task.ts';

/** Upgrade workflow Task "Migrate contracts" (ASL placeholder ${MigrateContractsFunctionArn}). */
export const handler = chainTask('Migrate contracts', migrateContracts);
