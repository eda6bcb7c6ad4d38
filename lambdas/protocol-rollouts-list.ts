import { protocolServices } from './compose/protocol-services.ts';
import { httpHandler } from './http/http-handler.ts';
import { ListQuery } from './http/schemas.ts';
import { protocolRolloutsList } from './routes.ts';

/** GET /admin/protocol/rollouts?limit=: the protocol rollouts, newest first, each with its phase and progress. */
export const handler = httpHandler(
  protocolRolloutsList,
  { query: ListQuery, services: protocolServices },
  async ({ query, services }) => {
    const rollouts = await services.rollouts.list(query.limit ?? 50);
    return { status: 200, body: { count: rollouts.length, rollouts } };
  },
);
