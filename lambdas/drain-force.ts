import { adminServices } from './compose/admin-services.ts';
import { drainReply } from './http/drain-reply.ts';
import { DrainForceBody } from './http/drain-schemas.ts';
import { httpHandler } from './http/http-handler.ts';
import { drainForce } from './routes.ts';

/**
 * POST /admin/drain/force {acknowledge_locked_funds?}: declare Drained with intents inflight (dangerous, audited);
 * during an upgrade's drain, through the upgrade's own force path.
 */
export const handler = httpHandler(
  drainForce,
  { body: DrainForceBody, services: adminServices },
  async ({ body, caller, services, log }) => {
    const acknowledgeLockedFunds = body.acknowledge_locked_funds === true;
    const reply = await services.drainRequests.handle(caller, { kind: 'force', acknowledgeLockedFunds });
    log.warn('Drain forced', { actor: caller.actor, inflight: reply.inflight_count, upgrade: reply.upgrade });
    return drainReply(reply);
  },
);
