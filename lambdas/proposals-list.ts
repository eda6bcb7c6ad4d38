import { proposalServices } from './compose/proposal-services.ts';
import { httpHandler } from './http/http-handler.ts';
import { ProposalListQuery } from './http/proposal-schemas.ts';
import { proposalsList } from './routes.ts';

/** GET /admin/proposals?state=&limit=: proposals, newest first, each with its state and times. */
export const handler = httpHandler(
  proposalsList,
  { query: ProposalListQuery, services: proposalServices },
  async ({ query, services }) => {
    const proposals = await services.proposals.list(query.state, query.limit ?? 50);
    return { status: 200, body: { count: proposals.length, proposals } };
  },
);
