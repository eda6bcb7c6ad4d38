import { NotFoundError } from '../shared/domain/errors.ts';
import { httpHandler } from './http/http-handler.ts';
import { proposalRuntime } from './http/proposal-runtime.ts';
import { ProposalRejectBody, proposalIdFrom } from './http/proposal-schemas.ts';

/** POST /admin/proposals/{id}/reject {reason}: an approver's veto; the proposal can never execute. */
export const handler = httpHandler(
  { access: 'admin', body: ProposalRejectBody },
  async ({ body, caller, pathParameters }) => {
    const id = proposalIdFrom(pathParameters);
    if (!id) throw new NotFoundError('no such proposal');
    return { status: 200, body: await proposalRuntime().proposals.reject(caller, id, body.reason) };
  },
);
