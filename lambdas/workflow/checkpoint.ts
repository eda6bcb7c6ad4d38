import { checkpointState } from '../../shared/upgrade/steps/migrate.ts';
import { chainTask } from './chain-task.ts';

/** Upgrade workflow Task "Checkpoint inflight state to S3" (ASL placeholder ${CheckpointFunctionArn}). */
export const handler = chainTask('Checkpoint inflight state to S3', checkpointState);
