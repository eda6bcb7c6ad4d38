import { protocolServices } from './compose/protocol-services.ts';
import { httpHandler } from './http/http-handler.ts';
import { RolloutStartBody } from './http/protocol-schemas.ts';
import { protocolRolloutStart } from './routes.ts';

/** POST /admin/protocol/rollouts {from, to, parallel_secs, deprecation_secs, reason}: 201, the parallel phase begun. */
export const handler = httpHandler(
  protocolRolloutStart,
  { body: RolloutStartBody, services: protocolServices },
  async ({ body, caller, services }) => {
    const rollout = await services.rollouts.start(caller, body);
    return { status: 201, body: rollout, headers: { location: `/admin/protocol/rollouts/${rollout.id}` } };
  },
);
