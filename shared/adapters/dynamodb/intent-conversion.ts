import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { StoredRecord } from '../../migration/migration.ts';
import type { ConversionPage, IntentConversion } from '../../protocol/conversion-port.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';

/** Attributes the store derives or keys on: never a migration's to change. */
const STORE_OWNED = new Set(['shard', 'id', 'ibc_shard', 'ibc_channels']);
/** A concurrent writer can win this many times in a row before the intent is left for the next pass. */
const ATTEMPTS = 5;

/**
 * Converts inflight intents of one protocol version in place, while producers keep writing them. Each conversion
 * is one UpdateItem that changes only what the migration changes, conditional on the version and on each changed
 * attribute still holding what was read: a PATCH of another attribute is kept as is, a PATCH of the same one makes
 * the condition fail, and the intent is read again and converted from what the PATCH wrote. Nothing is lost.
 */
export class DynamoIntentConversion implements IntentConversion {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async convertPage(
    from: string,
    transform: (r: StoredRecord) => StoredRecord,
    cursor: string | null,
    limit: number,
  ): Promise<ConversionPage> {
    const out = await this.db.send(
      new ScanCommand({
        TableName: this.table,
        ConsistentRead: true,
        Limit: limit,
        ExclusiveStartKey: cursor ? decodeCursor(cursor) : undefined,
        FilterExpression: 'protocol_version = :from',
        ExpressionAttributeValues: { ':from': from },
      }),
    );
    let converted = 0;
    let retried = 0;
    for (const found of out.Items ?? []) {
      let item: Record<string, unknown> | undefined = found;
      for (let attempt = 0; item && item.protocol_version === from && attempt < ATTEMPTS; attempt++) {
        if (await this.convertOne(item, from, transform)) {
          converted++;
          break;
        }
        retried++;
        item = await this.read(item);
      }
    }
    const next = out.LastEvaluatedKey ? encodeCursor(out.LastEvaluatedKey) : null;
    return { converted, retried, scanned: out.ScannedCount ?? 0, cursor: next };
  }

  /** One conditional update; false when a concurrent write changed what it read. */
  private async convertOne(
    item: Record<string, unknown>,
    from: string,
    transform: (r: StoredRecord) => StoredRecord,
  ): Promise<boolean> {
    const before = Object.fromEntries(Object.entries(item).filter(([k]) => !STORE_OWNED.has(k)));
    const after = transform(before as StoredRecord);
    const set = Object.keys(after).filter(
      (k) => !STORE_OWNED.has(k) && JSON.stringify(after[k]) !== JSON.stringify(before[k]),
    );
    const removed = Object.keys(before).filter((k) => !(k in after));
    const names: Record<string, string> = { '#pv': 'protocol_version' };
    const values: Record<string, unknown> = { ':from': from };
    const conditions = ['#pv = :from'];
    const changed = [...set, ...removed];
    changed.forEach((k, i) => {
      names[`#f${i}`] = k;
      if (k in after) values[`:new${i}`] = after[k];
      if (k === 'protocol_version') return; // its condition is the version's, above
      if (k in before) {
        values[`:old${i}`] = before[k];
        conditions.push(`#f${i} = :old${i}`);
      } else conditions.push(`attribute_not_exists(#f${i})`);
    });
    const sets = set.map((k) => `#f${changed.indexOf(k)} = :new${changed.indexOf(k)}`);
    const removes = removed.map((k) => `#f${changed.indexOf(k)}`);
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { shard: item.shard, id: item.id },
          UpdateExpression: [
            sets.length ? `SET ${sets.join(', ')}` : '',
            removes.length ? `REMOVE ${removes.join(', ')}` : '',
          ].join(' '),
          ConditionExpression: conditions.join(' AND '),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  private async read(item: Record<string, unknown>): Promise<Record<string, unknown> | undefined> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: { shard: item.shard, id: item.id },
        ConsistentRead: true,
      }),
    );
    return out.Item;
  }
}
