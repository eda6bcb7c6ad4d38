import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { InflightIntent, InflightPage } from '../../domain/inflight.ts';
import { unadmitted } from './admission.ts';
import { encodeCursor } from './cursor.ts';
import { filterNames } from './filter-names.ts';
import { intentFromItem } from './intent-item.ts';
import { PACKET_INDEX } from './tables.ts';

/** Which page of the packet index to read. */
export interface PacketPageRequest {
  readonly limit: number;
  /** The key (shard, id) of the last intent of the previous page, from its cursor. */
  readonly start: Record<string, unknown> | undefined;
  /** The filter keeps few of the intents with packets (a channel, a phase): read ahead in larger queries. */
  readonly selective: boolean;
}

/**
 * One page of the intents that carry IBC packets, read from the sparse packet index (tables.ts) rather than by a
 * scan of the table: a Query per shard's index partition, shard after shard, in id order, with `filter` applied to
 * what the index holds. Reads cost what the intents with packets weigh, not the table. The cursor is the table key
 * of the last intent returned (or of the last one read, when the read budget ends a page early), as other listings
 * give it; an index key is (ibc_shard, id) with ibc_shard = shard, so that key is enough to resume the Query.
 * The index is eventually consistent: an intent patched or completed a moment ago may still show as it was.
 */
export async function packetPage(
  db: DynamoDBDocumentClient,
  table: string,
  shardCount: number,
  filter: string,
  values: Record<string, unknown>,
  page: PacketPageRequest,
  cutoffs: readonly (number | null)[],
  maxReads = 50,
): Promise<InflightPage> {
  const { limit, start } = page;
  const intents: InflightIntent[] = [];
  let lastKept: Record<string, unknown> | undefined;
  let key = start ? { ibc_shard: start.shard, shard: start.shard, id: start.id } : undefined;
  let reads = 0;
  for (let shard = start ? Number(start.shard) : 0; shard < shardCount; shard++, key = undefined) {
    do {
      // The budget ends a page inside a shard only (where there is a key to resume from): at most shardCount more.
      if (key && reads >= maxReads) return { intents, nextCursor: encodeCursor(key) };
      reads++;
      const wanted = limit - intents.length;
      const out = await db.send(
        new QueryCommand({
          TableName: table,
          IndexName: PACKET_INDEX,
          KeyConditionExpression: 'ibc_shard = :ibc_shard',
          FilterExpression: filter,
          ExpressionAttributeValues: { ...values, ':ibc_shard': shard },
          ...filterNames(filter),
          Limit: page.selective ? Math.max(wanted, 200) : wanted,
          ExclusiveStartKey: key,
        }),
      );
      key = out.LastEvaluatedKey as typeof key;
      for (const item of out.Items ?? []) {
        if (intents.length === limit) return { intents, nextCursor: encodeCursor(lastKept ?? {}) };
        if (unadmitted(item, cutoffs[shard])) continue;
        intents.push(intentFromItem(item));
        lastKept = { shard: item.shard, id: item.id };
      }
      if (intents.length === limit) {
        const more = key !== undefined || shard < shardCount - 1;
        return { intents, nextCursor: more ? encodeCursor(lastKept ?? {}) : null };
      }
    } while (key);
  }
  return { intents, nextCursor: null };
}
