import { protocolServices } from './compose/protocol-services.ts';
import { httpHandler } from './http/http-handler.ts';
import { RolloutHoldBody, rolloutIdFrom } from './http/protocol-schemas.ts';
import { protocolRolloutHold } from './routes.ts';

/** POST /admin/protocol/rollouts/{id}/hold {reason}: the rollout stays in its phase until continued. */
export const handler = httpHandler(
  protocolRolloutHold,
  { body: RolloutHoldBody, services: protocolServices },
  async ({ body, caller, pathParameters, services }) => {
    const id = rolloutIdFrom(pathParameters);
    return { status: 200, body: await services.rollouts.hold(caller, id, body.reason) };
  },
);
