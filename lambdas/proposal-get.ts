import { NotFoundError } from '../shared/domain/errors.ts';
import { proposalServices } from './compose/proposal-services.ts';
import { httpHandler } from './http/http-handler.ts';
import { proposalIdFrom } from './http/proposal-schemas.ts';
import { proposalGet } from './routes.ts';

/** GET /admin/proposals/{id}: approvals, timelock_until, executable_at, seconds_remaining and the state. */
export const handler = httpHandler(
  proposalGet,
  { services: proposalServices },
  async ({ pathParameters, services }) => {
    const id = proposalIdFrom(pathParameters);
    if (!id) throw new NotFoundError('no such proposal: ids look like prop-20261204T053000-ab12cd');
    return { status: 200, body: await services.proposals.get(id) };
  },
);
