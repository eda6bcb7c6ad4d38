import { NotFoundError } from '../shared/domain/errors.ts';
import { proposalServices } from './compose/proposal-services.ts';
import { httpHandler } from './http/http-handler.ts';
import { ProposalCancelBody, proposalIdFrom } from './http/proposal-schemas.ts';
import { proposalCancel } from './routes.ts';

/** POST /admin/proposals/{id}/cancel {reason?}: the proposer or any approver withdraws it. */
export const handler = httpHandler(
  proposalCancel,
  { body: ProposalCancelBody, services: proposalServices },
  async ({ body, caller, pathParameters, services }) => {
    const id = proposalIdFrom(pathParameters);
    if (!id) throw new NotFoundError('no such proposal');
    return { status: 200, body: await services.proposals.cancel(caller, id, body.reason ?? null) };
  },
);
