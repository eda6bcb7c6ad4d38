import { protocolServices } from './compose/protocol-services.ts';
import { httpHandler } from './http/http-handler.ts';
import { rolloutIdFrom } from './http/protocol-schemas.ts';
import { protocolRolloutGet } from './routes.ts';

/** GET /admin/protocol/rollouts/{id}: its phase, timers, conversion progress, history and what happens next. */
export const handler = httpHandler(
  protocolRolloutGet,
  { services: protocolServices },
  async ({ pathParameters, services }) => {
    const id = rolloutIdFrom(pathParameters);
    return { status: 200, body: await services.rollouts.get(id) };
  },
);
