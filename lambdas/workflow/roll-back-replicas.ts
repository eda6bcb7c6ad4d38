import { rollBackDeployedReplicas } from '../../shared/upgrade/steps/deploy.ts';
import { workflowTask } from './workflow-task.ts';

/** Upgrade workflow Task "Roll back backend replicas" (ASL placeholder ${RollBackReplicasFunctionArn}). */
export const handler = workflowTask('Roll back backend replicas', rollBackDeployedReplicas);
