import { NotFoundError } from '../shared/domain/errors.ts';
import { httpHandler } from './http/http-handler.ts';
import { proposalRuntime } from './http/proposal-runtime.ts';
import { ProposalApproveBody, proposalIdFrom } from './http/proposal-schemas.ts';

/** POST /admin/proposals/{id}/approve {config_sha256, waive_timelock?}: one approval per identity. */
export const handler = httpHandler(
  { access: 'admin', body: ProposalApproveBody },
  async ({ body, caller, pathParameters }) => {
    const id = proposalIdFrom(pathParameters);
    if (!id) throw new NotFoundError('no such proposal');
    const out = await proposalRuntime().proposals.approve(
      caller,
      id,
      body.config_sha256,
      body.waive_timelock ?? false,
    );
    return { status: 200, body: out };
  },
);
