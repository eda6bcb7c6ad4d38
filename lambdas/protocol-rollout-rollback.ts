import { protocolServices } from './compose/protocol-services.ts';
import { httpHandler } from './http/http-handler.ts';
import { RolloutRollbackBody, rolloutIdFrom } from './http/protocol-schemas.ts';
import { protocolRolloutRollback } from './routes.ts';

/** POST /admin/protocol/rollouts/{id}/rollback {reason}: back to `from` before removal; `to` intents converted back. */
export const handler = httpHandler(
  protocolRolloutRollback,
  { body: RolloutRollbackBody, services: protocolServices },
  async ({ body, caller, pathParameters, services }) => {
    const id = rolloutIdFrom(pathParameters);
    return { status: 200, body: await services.rollouts.rollback(caller, id, body.reason) };
  },
);
