import { pendingPackets } from '../shared/domain/pending-packets.ts';
import { IbcPendingQuery } from './http/drain-schemas.ts';
import { httpHandler } from './http/http-handler.ts';
import { ibcPending } from './routes.ts';

/** GET /admin/ibc/pending?channel=&limit=&cursor=: the pending IBC packets of one page of inflight intents. */
export const handler = httpHandler(ibcPending, { query: IbcPendingQuery }, async ({ query, services }) => {
  const page = await services.inflight.list({
    with_packets: true,
    channel: query.channel,
    limit: query.limit ?? 100,
    cursor: query.cursor,
  });
  return {
    status: 200,
    body: { packets: pendingPackets(page.intents, Date.now(), query.channel), next_cursor: page.nextCursor },
  };
});
