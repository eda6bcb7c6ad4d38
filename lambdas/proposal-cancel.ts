import { NotFoundError } from '../shared/domain/errors.ts';
import { httpHandler } from './http/http-handler.ts';
import { proposalRuntime } from './http/proposal-runtime.ts';
import { ProposalCancelBody, proposalIdFrom } from './http/proposal-schemas.ts';

/** POST /admin/proposals/{id}/cancel {reason?}: the proposer or any approver withdraws it. */
export const handler = httpHandler(
  { access: 'admin', body: ProposalCancelBody, bodyOptional: true },
  async ({ body, caller, pathParameters }) => {
    const id = proposalIdFrom(pathParameters);
    if (!id) throw new NotFoundError('no such proposal');
    return { status: 200, body: await proposalRuntime().proposals.cancel(caller, id, body.reason ?? null) };
  },
);
