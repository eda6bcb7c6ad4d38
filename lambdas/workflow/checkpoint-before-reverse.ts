import { checkpointBeforeReverse } from '../../shared/upgrade/bake/rollback-after-resume.ts';
import { workflowTask } from './workflow-task.ts';

/** Upgrade workflow Task "Checkpoint before reversing" (ASL placeholder ${CheckpointBeforeReverseFunctionArn}). */
export const handler = workflowTask('Checkpoint before reversing', checkpointBeforeReverse);
