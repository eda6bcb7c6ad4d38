import { httpHandler } from './http/http-handler.ts';
import { proposalRuntime } from './http/proposal-runtime.ts';
import { ProposalListQuery } from './http/proposal-schemas.ts';

/** GET /admin/proposals?state=&limit=: proposals, newest first, each with its state and times. */
export const handler = httpHandler({ access: 'admin', query: ProposalListQuery }, async ({ query }) => {
  const proposals = await proposalRuntime().proposals.list(query.state, query.limit ?? 50);
  return { status: 200, body: { count: proposals.length, proposals } };
});
