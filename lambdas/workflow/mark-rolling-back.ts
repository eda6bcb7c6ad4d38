import { markRollingBack } from '../../shared/upgrade/bake/rollback-after-resume.ts';
import { workflowTask } from './workflow-task.ts';

/** Upgrade workflow Task "Mark upgrading for rollback" (ASL placeholder ${MarkRollingBackFunctionArn}). */
export const handler = workflowTask('Mark upgrading for rollback', markRollingBack);
