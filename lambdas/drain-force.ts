import { DrainForceBody } from './http/drain-schemas.ts';
import { httpHandler } from './http/http-handler.ts';
import { drainForce } from './routes.ts';
import { emitDrainMetrics } from './telemetry/drain-metrics.ts';

/** POST /admin/drain/force {acknowledge_locked_funds?}: declare Drained with intents inflight (dangerous, audited). */
export const handler = httpHandler(
  drainForce,
  { body: DrainForceBody },
  async ({ body, caller, services, log }) => {
    const status = await services.drain.force(caller, body.acknowledge_locked_funds === true);
    log.warn('Drain forced', { actor: caller.actor, inflight: status.inflight_count });
    emitDrainMetrics(status);
    return { status: 200, body: status };
  },
);
