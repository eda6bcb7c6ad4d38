import { startRollbackDrain } from '../../shared/upgrade/bake/rollback-after-resume.ts';
import { workflowTask } from './workflow-task.ts';

/** Upgrade workflow Task "Drain again for rollback" (ASL placeholder ${StartRollbackDrainFunctionArn}). */
export const handler = workflowTask('Drain again for rollback', startRollbackDrain);
