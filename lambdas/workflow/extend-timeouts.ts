import { extendTimeouts } from '../../shared/upgrade/steps/drain.ts';
import { chainTask } from './chain-task.ts';

/** Upgrade workflow Task "Extend timeouts of remaining work" (ASL placeholder ${ExtendTimeoutsFunctionArn}). */
export const handler = chainTask('Extend timeouts of remaining work', extendTimeouts);
