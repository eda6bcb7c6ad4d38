import { runPreChecks } from '../../shared/upgrade/steps/before-drain.ts';
import { workflowTask } from './workflow-task.ts';

/** Upgrade workflow Task "Run pre-checks" (ASL placeholder ${PreChecksFunctionArn}). */
export const handler = workflowTask('Run pre-checks', runPreChecks);
