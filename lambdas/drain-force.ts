import { emitDrainMetrics } from './http/drain-metrics.ts';
import { DrainForceBody } from './http/drain-schemas.ts';
import { httpHandler } from './http/http-handler.ts';

/** POST /admin/drain/force {acknowledge_locked_funds?}: declare Drained with intents inflight (dangerous, audited). */
export const handler = httpHandler(
  { access: 'admin', initialises: true, body: DrainForceBody, bodyOptional: true },
  async ({ body, caller, cp, log }) => {
    const status = await cp.drain.force(caller, body.acknowledge_locked_funds === true);
    log.warn('Drain forced', { actor: caller.actor, inflight: status.inflight_count });
    emitDrainMetrics(status);
    return { status: 200, body: status };
  },
);
