import { protocolServices } from './compose/protocol-services.ts';
import { httpHandler } from './http/http-handler.ts';
import { rolloutIdFrom } from './http/protocol-schemas.ts';
import { EmptyBody } from './http/schemas.ts';
import { protocolRolloutContinue } from './routes.ts';

/** POST /admin/protocol/rollouts/{id}/continue: a held rollout goes on; its phase timer is extended by the hold. */
export const handler = httpHandler(
  protocolRolloutContinue,
  { body: EmptyBody, services: protocolServices },
  async ({ caller, pathParameters, services }) => {
    const id = rolloutIdFrom(pathParameters);
    return { status: 200, body: await services.rollouts.proceed(caller, id) };
  },
);
