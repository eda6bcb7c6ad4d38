import { DEFAULT_DRAIN_TIMEOUT_SECS } from '../shared/domain/drain-mode.ts';
import { DrainStartBody } from './http/drain-schemas.ts';
import { httpHandler } from './http/http-handler.ts';
import { drainStart } from './routes.ts';
import { emitDrainMetrics } from './telemetry/drain-metrics.ts';

/** POST /admin/drain/start {reason, drain_timeout_secs?}: stop admitting intents; inflight ones go on. */
export const handler = httpHandler(
  drainStart,
  { body: DrainStartBody },
  async ({ body, caller, services, log }) => {
    const status = await services.drain.startDrain(
      caller,
      body.reason,
      body.drain_timeout_secs ?? DEFAULT_DRAIN_TIMEOUT_SECS,
    );
    log.info('Starting drain mode', {
      reason: body.reason,
      inflight: status.inflight_count,
      deadline: status.deadline,
    });
    emitDrainMetrics(status);
    return { status: 200, body: status };
  },
);
