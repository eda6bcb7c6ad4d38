import { migrateToOperatorVersion } from '../../shared/upgrade/steps/migrate.ts';
import { workflowTask } from './workflow-task.ts';

/** Upgrade workflow Task "Migrate records to the operator's version" (ASL placeholder ${MigrateToOperatorVersionFunctionArn}). */
export const handler = workflowTask("Migrate records to the operator's version", migrateToOperatorVersion);
