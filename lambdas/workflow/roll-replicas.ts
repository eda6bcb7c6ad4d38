import { rollReplicas } from '../../shared/upgrade/rolling/roll-replicas.ts';
import { workflowTask } from './workflow-task.ts';

/** Upgrade workflow Task "Roll replicas with the fence open" (ASL placeholder ${RollReplicasFunctionArn}). */
export const handler = workflowTask('Roll replicas with the fence open', rollReplicas, { pollingStep: true });
