import { bindable } from './compose/aws-environment.ts';
import { coreServices } from './compose/core-services.ts';
import { emitDrainMetrics } from './telemetry/drain-metrics.ts';
import { logger } from './telemetry/logger.ts';

/**
 * Every minute (an EventBridge rule): the drain gauges, so the drain-timeout and stuck-inflight alarms see a drain
 * whether or not anyone polls its status. While the system is Active and nothing is inflight it emits the gauges
 * too (a flat line is data; a missing one reads as "insufficient data").
 */
export const handler = bindable((envOf) => async (): Promise<{ mode: string; inflight_count: number }> => {
  const status = await coreServices(envOf()).drain.status();
  emitDrainMetrics(status);
  logger.debug('drain gauges', { mode: status.mode, inflight: status.inflight_count });
  return { mode: status.mode, inflight_count: status.inflight_count };
});
