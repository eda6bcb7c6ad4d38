import { extendTimeouts } from '../../shared/upgrade/steps/drain.ts';
import { workflowTask } from './workflow-task.ts';

/** Upgrade workflow Task "Extend timeouts of remaining work" (ASL placeholder ${ExtendTimeoutsFunctionArn}). */
export const handler = workflowTask('Extend timeouts of remaining work', extendTimeouts);
