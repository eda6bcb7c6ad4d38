import { migrateStoredRecords } from '../../shared/upgrade/steps/migrate.ts';
import { workflowTask } from './workflow-task.ts';

/** Upgrade workflow Task "Migrate stored records" (ASL placeholder ${MigrateRecordsFunctionArn}). */
export const handler = workflowTask('Migrate stored records', migrateStoredRecords);
