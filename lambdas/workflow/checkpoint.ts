import { checkpointState } from '../../shared/upgrade/steps/migrate.ts';
import { workflowTask } from './workflow-task.ts';

/** Upgrade workflow Task "Checkpoint inflight state to S3" (ASL placeholder ${CheckpointFunctionArn}). */
export const handler = workflowTask('Checkpoint inflight state to S3', checkpointState);
