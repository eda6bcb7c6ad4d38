import { withDefaults } from '../shared/upgrade/upgrade-config.ts';
import { proposalServices } from './compose/proposal-services.ts';
import { httpHandler } from './http/http-handler.ts';
import { ProposalCreateBody } from './http/proposal-schemas.ts';
import { proposalCreate } from './routes.ts';

/** POST /admin/proposals {upgrade, description}: 201 with the id, config_sha256 and what it needs. */
export const handler = httpHandler(
  proposalCreate,
  { body: ProposalCreateBody, services: proposalServices },
  async ({ body, caller, services }) => {
    const config = withDefaults(body.upgrade, services.config.pollIntervalSecs);
    const proposal = await services.proposals.propose(caller, config, body.description);
    return { status: 201, body: proposal, headers: { location: `/admin/proposals/${proposal.id}` } };
  },
);
