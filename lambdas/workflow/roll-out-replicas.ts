import { rollOutReplicas } from '../../shared/upgrade/steps/deploy.ts';
import { workflowTask } from './workflow-task.ts';

/** Upgrade workflow Task "Roll out backend replicas" (ASL placeholder ${RollOutReplicasFunctionArn}). */
export const handler = workflowTask('Roll out service replicas', rollOutReplicas, { perComponent: true });
