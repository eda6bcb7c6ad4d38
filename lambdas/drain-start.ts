import { DEFAULT_DRAIN_TIMEOUT_SECS } from '../shared/domain/drain-mode.ts';
import { emitDrainMetrics } from './http/drain-metrics.ts';
import { DrainStartBody } from './http/drain-schemas.ts';
import { httpHandler } from './http/http-handler.ts';

/** POST /admin/drain/start {reason, drain_timeout_secs?}: stop admitting intents; inflight ones go on. */
export const handler = httpHandler(
  { access: 'admin', initialises: true, body: DrainStartBody },
  async ({ body, caller, cp, log }) => {
    const status = await cp.drain.startDrain(
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
