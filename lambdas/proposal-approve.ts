import { NotFoundError } from '../shared/domain/errors.ts';
import { proposalServices } from './compose/proposal-services.ts';
import { httpHandler } from './http/http-handler.ts';
import { ProposalApproveBody, proposalIdFrom } from './http/proposal-schemas.ts';
import { proposalApprove } from './routes.ts';

/** POST /admin/proposals/{id}/approve {config_sha256, waive_timelock?}: one approval per identity. */
export const handler = httpHandler(
  proposalApprove,
  { body: ProposalApproveBody, services: proposalServices },
  async ({ body, caller, pathParameters, services }) => {
    const id = proposalIdFrom(pathParameters);
    if (!id) throw new NotFoundError('no such proposal');
    const out = await services.proposals.approve(
      caller,
      id,
      body.config_sha256,
      body.waive_timelock ?? false,
    );
    return { status: 200, body: out };
  },
);
