import { runPreChecks } from '../../shared/upgrade/steps/before-drain.ts';
import { chainTask } from './chain-task.ts';

/** Upgrade workflow Task "Run pre-checks" (ASL placeholder ${PreChecksFunctionArn}). */
export const handler = chainTask('Run pre-checks', runPreChecks);
