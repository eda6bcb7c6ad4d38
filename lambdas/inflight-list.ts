import { InflightQuery } from './http/drain-schemas.ts';
import { httpHandler } from './http/http-handler.ts';
import { presentIntent } from './http/present.ts';
import { inflightList } from './routes.ts';

/** GET /admin/inflight?phase=&owner=&locked=&limit=&cursor=: one page of inflight intents and the total inflight count. */
export const handler = httpHandler(inflightList, { query: InflightQuery }, async ({ query, services }) => {
  const [page, count] = await Promise.all([
    services.inflight.list({
      phase: query.phase,
      owner: query.owner,
      locked: query.locked,
      limit: query.limit ?? 100,
      cursor: query.cursor,
    }),
    services.inflight.count(),
  ]);
  const now = Date.now();
  return {
    status: 200,
    body: { count, intents: page.intents.map((i) => presentIntent(i, now)), next_cursor: page.nextCursor },
  };
});
