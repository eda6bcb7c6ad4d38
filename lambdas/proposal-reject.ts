import { NotFoundError } from '../shared/domain/errors.ts';
import { proposalServices } from './compose/proposal-services.ts';
import { httpHandler } from './http/http-handler.ts';
import { ProposalRejectBody, proposalIdFrom } from './http/proposal-schemas.ts';
import { proposalReject } from './routes.ts';

/** POST /admin/proposals/{id}/reject {reason}: an approver's veto; the proposal can never execute. */
export const handler = httpHandler(
  proposalReject,
  { body: ProposalRejectBody, services: proposalServices },
  async ({ body, caller, pathParameters, services }) => {
    const id = proposalIdFrom(pathParameters);
    if (!id) throw new NotFoundError('no such proposal');
    return { status: 200, body: await services.proposals.reject(caller, id, body.reason) };
  },
);
