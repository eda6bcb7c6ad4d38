import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ValidationError } from '../../domain/errors.ts';
import type { InflightIntent, InflightPage, InflightQuery, IntentPatch } from '../../domain/inflight.ts';
import type { IntentStore, RegisterOutcome } from '../../domain/ports.ts';
import { shardKey } from './fence-store.ts';
import { intentFromItem, intentToItem } from './intent-item.ts';
import { BY_AGE_INDEX, PENDING_IBC_INDEX, type TableNames } from './tables.ts';
import { cancellationCodes, retryOnConflict } from './transactions.ts';

/**
 * Inflight intents, one item each, in the intents table. Register and complete are transactions with the
 * intent's fence shard in the control table: the shard's gate must be open to register, and its counter
 * moves in the same transaction, so the counters always equal the items.
 */
export class DynamoIntentStore implements IntentStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: TableNames,
    private readonly shardCount: number,
  ) {}

  async register(intent: InflightIntent, shard: number): Promise<RegisterOutcome> {
    try {
      await retryOnConflict(() =>
        this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: this.tables.intents,
                  Item: intentToItem(intent, shard),
                  ConditionExpression: 'attribute_not_exists(id)',
                },
              },
              {
                Update: {
                  TableName: this.tables.control,
                  Key: shardKey(shard),
                  UpdateExpression: 'ADD inflight :one',
                  ConditionExpression: 'gate = :open',
                  ExpressionAttributeValues: { ':one': 1, ':open': 'open' },
                },
              },
            ],
          }),
        ),
      );
      return 'registered';
    } catch (err) {
      const codes = cancellationCodes(err);
      if (codes?.[0] === 'ConditionalCheckFailed') return 'duplicate';
      if (codes?.[1] === 'ConditionalCheckFailed') return 'fenced';
      throw err;
    }
  }

  async update(id: string, patch: IntentPatch, now: number): Promise<InflightIntent | null> {
    const sets: string[] = ['updated_at = :now'];
    const removes: string[] = [];
    const values: Record<string, unknown> = { ':now': now };
    const names: Record<string, string> = {};
    const fields: [keyof IntentPatch, string][] = [
      ['phase', 'phase'],
      ['user_funds_locked', 'user_funds_locked'],
      ['solver_funds_locked', 'solver_funds_locked'],
      ['ibc_in_flight', 'ibc_in_flight'],
    ];
    for (const [key, attr] of fields) {
      if (patch[key] === undefined) continue;
      sets.push(`#${attr} = :${attr}`);
      names[`#${attr}`] = attr;
      values[`:${attr}`] = patch[key];
    }
    if (patch.ibc_in_flight === true) {
      sets.push('ibc_shard = #shard');
      names['#shard'] = 'shard';
    }
    if (patch.ibc_in_flight === false) removes.push('ibc_shard');
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.tables.intents,
          Key: { id },
          UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
          ConditionExpression: 'attribute_exists(id)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return out.Attributes ? intentFromItem(out.Attributes) : null;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return null;
      throw err;
    }
  }

  async complete(id: string, shard: number): Promise<boolean> {
    try {
      await retryOnConflict(() =>
        this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Delete: {
                  TableName: this.tables.intents,
                  Key: { id },
                  ConditionExpression: 'attribute_exists(id)',
                },
              },
              {
                Update: {
                  TableName: this.tables.control,
                  Key: shardKey(shard),
                  UpdateExpression: 'ADD inflight :minus, completed_total :one',
                  ConditionExpression: 'inflight > :zero',
                  ExpressionAttributeValues: { ':minus': -1, ':one': 1, ':zero': 0 },
                },
              },
            ],
          }),
        ),
      );
      return true;
    } catch (err) {
      const codes = cancellationCodes(err);
      if (codes?.[0] === 'ConditionalCheckFailed') return false;
      if (codes?.[1] === 'ConditionalCheckFailed') {
        throw new Error(
          `fence shard ${shard} counts no inflight intent but intent ${id} exists: counters out of step`,
        );
      }
      throw err;
    }
  }

  async get(id: string): Promise<InflightIntent | null> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tables.intents, Key: { id }, ConsistentRead: true }),
    );
    return out.Item ? intentFromItem(out.Item) : null;
  }

  async list(query: InflightQuery): Promise<InflightPage> {
    const filters: string[] = [];
    const values: Record<string, unknown> = {};
    if (query.phase !== undefined) {
      filters.push('#phase = :phase');
      values[':phase'] = query.phase;
    }
    if (query.locked === true) {
      filters.push('(user_funds_locked = :t OR solver_funds_locked = :t)');
      values[':t'] = true;
    }
    if (query.locked === false) {
      filters.push('user_funds_locked = :f AND solver_funds_locked = :f');
      values[':f'] = false;
    }
    return this.scanPage(filters.join(' AND '), values, query.limit, decodeCursor(query.cursor));
  }

  async withLockedFunds(limit: number): Promise<InflightIntent[]> {
    const page = await this.scanPage(
      'user_funds_locked = :t OR solver_funds_locked = :t',
      { ':t': true },
      limit,
      undefined,
      1_000,
    );
    return page.intents;
  }

  async oldestCreatedAt(): Promise<number | null> {
    const firsts = await Promise.all(
      this.shards().map(async (shard) => {
        const out = await this.db.send(
          new QueryCommand({
            TableName: this.tables.intents,
            IndexName: BY_AGE_INDEX,
            KeyConditionExpression: '#shard = :s',
            ExpressionAttributeNames: { '#shard': 'shard' },
            ExpressionAttributeValues: { ':s': shard },
            ScanIndexForward: true,
            Limit: 1,
          }),
        );
        return out.Items?.[0]?.created_at as number | undefined;
      }),
    );
    const present = firsts.filter((v): v is number => typeof v === 'number');
    return present.length ? Math.min(...present) : null;
  }

  async pendingIbcCount(): Promise<number> {
    const counts = await Promise.all(
      this.shards().map(async (shard) => {
        let n = 0;
        let start: Record<string, unknown> | undefined;
        do {
          const out = await this.db.send(
            new QueryCommand({
              TableName: this.tables.intents,
              IndexName: PENDING_IBC_INDEX,
              KeyConditionExpression: 'ibc_shard = :s',
              ExpressionAttributeValues: { ':s': shard },
              Select: 'COUNT',
              ExclusiveStartKey: start,
            }),
          );
          n += out.Count ?? 0;
          start = out.LastEvaluatedKey;
        } while (start);
        return n;
      }),
    );
    return counts.reduce((a, b) => a + b, 0);
  }

  /**
   * Scans (strongly consistent) until `limit` matches, the table ends, or `maxReads` pages were read; the cursor
   * resumes after the last item returned, so no item is skipped or repeated between pages.
   */
  private async scanPage(
    filter: string,
    values: Record<string, unknown>,
    limit: number,
    start: Record<string, unknown> | undefined,
    maxReads = 50,
  ): Promise<InflightPage> {
    const intents: InflightIntent[] = [];
    let key = start;
    for (let reads = 0; reads < maxReads; reads++) {
      const out = await this.db.send(
        new ScanCommand({
          TableName: this.tables.intents,
          ConsistentRead: true,
          Limit: filter ? Math.max(limit - intents.length, 200) : limit - intents.length,
          ExclusiveStartKey: key,
          ...(filter ? { FilterExpression: filter, ExpressionAttributeValues: values } : {}),
          ...(filter.includes('#phase') ? { ExpressionAttributeNames: { '#phase': 'phase' } } : {}),
        }),
      );
      key = out.LastEvaluatedKey;
      for (const item of out.Items ?? []) {
        if (intents.length === limit) {
          key = { id: intents[intents.length - 1]?.id };
          break;
        }
        intents.push(intentFromItem(item));
      }
      if (!key || intents.length === limit) break;
    }
    return { intents, nextCursor: key ? encodeCursor(key) : null };
  }

  private shards(): number[] {
    return Array.from({ length: this.shardCount }, (_, n) => n);
  }
}

const encodeCursor = (key: Record<string, unknown>): string =>
  Buffer.from(JSON.stringify(key)).toString('base64url');

function decodeCursor(cursor: string | undefined): Record<string, unknown> | undefined {
  if (cursor === undefined) return undefined;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      key &&
      typeof key === 'object' &&
      typeof (key as { id?: unknown }).id === 'string' &&
      Object.keys(key).length === 1
    ) {
      return key as Record<string, unknown>;
    }
  } catch {
    // fall through to the error below
  }
  throw new ValidationError(
    'cursor is not one this API returned: pass next_cursor from the previous page unchanged',
  );
}
