import { withDefaults } from '../shared/upgrade/upgrade-config.ts';
import { httpHandler } from './http/http-handler.ts';
import { proposalRuntime } from './http/proposal-runtime.ts';
import { ProposalCreateBody } from './http/proposal-schemas.ts';
import { runtime } from './http/runtime.ts';

/** POST /admin/proposals {upgrade, description}: 201 with the id, config_sha256 and what it needs. */
export const handler = httpHandler(
  { access: 'admin', initialises: true, body: ProposalCreateBody },
  async ({ body, caller }) => {
    const config = withDefaults(body.upgrade, runtime().config.pollIntervalSecs);
    const proposal = await proposalRuntime().proposals.propose(caller, config, body.description);
    return { status: 201, body: proposal, headers: { location: `/admin/proposals/${proposal.id}` } };
  },
);
