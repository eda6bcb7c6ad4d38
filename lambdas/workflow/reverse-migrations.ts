import { reverseAfterBake } from '../../shared/upgrade/bake/rollback-after-resume.ts';
import { workflowTask } from './workflow-task.ts';

/** Upgrade workflow Task "Reverse migrations" (ASL placeholder ${ReverseMigrationsFunctionArn}). */
export const handler = workflowTask('Reverse migrations', reverseAfterBake);
