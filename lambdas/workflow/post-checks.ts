import { runPostChecks } from '../../shared/upgrade/steps/migrate.ts';
import { workflowTask } from './workflow-task.ts';

/** Upgrade workflow Task "Run post-checks" (ASL placeholder ${PostChecksFunctionArn}). */
export const handler = workflowTask('Run post-checks', runPostChecks);
