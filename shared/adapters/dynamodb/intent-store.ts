import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { IntentFrozenError } from '../../domain/errors.ts';
import { channelsOf, type IbcPacket, timeoutAtMs } from '../../domain/ibc-packet.ts';
import {
  hasLockedFunds,
  type InflightIntent,
  type InflightPage,
  type InflightQuery,
  type IntentPatch,
  shardOf,
} from '../../domain/inflight.ts';
import type {
  Census,
  CompletedIntent,
  FenceSnapshot,
  IntentStore,
  RegisterOutcome,
} from '../../domain/ports.ts';
import { admissionCutoffs, admit, reapUnadmitted, unadmitted } from './admission.ts';
import { writtenIf } from './conditional-write.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { filterNames } from './filter-names.ts';
import { intentFromItem } from './intent-item.ts';
import { packetPage } from './packet-page.ts';
import type { TableNames } from './tables.ts';

const PATCHABLE = [
  'phase',
  'user_funds_locked',
  'solver_funds_locked',
  'ibc_in_flight',
  'ibc_packets',
  'ibc_channels',
] as const;

/** Retry-After for a write to a frozen intent: an upgrade's remaining steps take seconds to minutes. */
export const FROZEN_RETRY_AFTER_SECS = 15;

/** The write's own condition: the intent exists and no upgrade holds it frozen. */
const WRITABLE = 'attribute_exists(id) AND attribute_not_exists(frozen_by)';

/** A failed WRITABLE condition: the intent is missing (null), or frozen (throws, 503 with Retry-After). */
function refusedWrite(err: unknown, id: string): null {
  if (!(err instanceof ConditionalCheckFailedException)) throw err;
  const frozenBy = (err.Item as Record<string, { S?: string }> | undefined)?.frozen_by?.S;
  if (frozenBy) throw new IntentFrozenError(FROZEN_RETRY_AFTER_SECS, id, frozenBy);
  return null;
}

/**
 * Inflight intents, one item each, keyed (shard, id) so every shard's intents share a partition that can be
 * counted with a strongly consistent Query. Registration is a transaction of the Put with a ConditionCheck that
 * the shard's gate is open; completion is a plain conditional Delete.
 */
export class DynamoIntentStore implements IntentStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: TableNames,
    private readonly shardCount: number,
    /** The mode and gates, read consistently: behind a closed gate, what was never admitted is not inflight. */
    private readonly readFence: () => Promise<FenceSnapshot>,
    /** How far apart the clocks of registrants and admin calls may be (FENCE_CLOCK_SKEW_MS). */
    private readonly skewMs: number,
  ) {}

  register(intent: InflightIntent, runningVersion: string): Promise<RegisterOutcome> {
    const shard = shardOf(intent.id, this.shardCount);
    return admit(this.db, this.tables, intent, shard, runningVersion, this.skewMs);
  }

  /**
   * Deletes every item Put behind a closed gate (never admitted) whose registrant's lease has run out, so none of
   * them turns into an inflight intent when the gates reopen. Returns how many it removed.
   */
  async reapUnadmitted(now: number): Promise<number> {
    const readCutoffs = async () => admissionCutoffs(await this.readFence(), this.skewMs);
    const cutoffs = await readCutoffs();
    const closed = cutoffs.filter((c): c is number => c !== null);
    if (closed.length === 0) return 0; // every gate admits: nothing can be unadmitted
    const after = Math.min(...closed); // -Infinity once Drained: everything behind the gates
    const behindClosedGates = Number.isFinite(after)
      ? this.scanAll('created_at > :after', { ':after': after })
      : this.scanAll('attribute_exists(id)', {});
    return reapUnadmitted(
      this.db,
      this.tables.intents,
      behindClosedGates,
      cutoffs,
      now,
      this.skewMs,
      readCutoffs,
    );
  }

  async update(id: string, change: IntentPatch, now: number): Promise<InflightIntent | null> {
    // Packets are stored with their channels (intent-item.ts): the two change together.
    const patch: Record<string, unknown> = change.ibc_packets
      ? { ...change, ibc_channels: channelsOf(change.ibc_packets) }
      : { ...change };
    const fields = PATCHABLE.filter((f) => patch[f] !== undefined);
    const key = this.key(id);
    // In the packet index while it has packets, out of it once they are cleared (intent-item.ts).
    const packets = change.ibc_packets?.length;
    const index = packets === undefined ? '' : packets ? ', ibc_shard = :ibc_shard' : ' REMOVE ibc_shard';
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.tables.intents,
          Key: key,
          UpdateExpression: `SET updated_at = :now${fields.map((f) => `, #${f} = :${f}`).join('')}${index}`,
          ConditionExpression: WRITABLE,
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          ...(fields.length
            ? { ExpressionAttributeNames: Object.fromEntries(fields.map((f) => [`#${f}`, f])) }
            : {}),
          ExpressionAttributeValues: {
            ':now': now,
            ...(packets ? { ':ibc_shard': key.shard } : {}),
            ...Object.fromEntries(fields.map((f) => [`:${f}`, patch[f]])),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return out.Attributes ? intentFromItem(out.Attributes) : null;
    } catch (err) {
      return refusedWrite(err, id);
    }
  }

  async complete(id: string): Promise<CompletedIntent | null> {
    try {
      const out = await this.db.send(
        new DeleteCommand({
          TableName: this.tables.intents,
          Key: this.key(id),
          ConditionExpression: WRITABLE,
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          // The deleted item comes back at no extra capacity: its owner decides whether a canary's bake counts it.
          ReturnValues: 'ALL_OLD',
        }),
      );
      const owner = out.Attributes?.owner;
      return { owner: typeof owner === 'string' ? owner : null };
    } catch (err) {
      return refusedWrite(err, id);
    }
  }

  async freezeAll(upgradeId: string): Promise<number> {
    return this.forEachItem(
      'attribute_not_exists(frozen_by) OR frozen_by <> :u',
      { ':u': upgradeId },
      (key) => ({
        Key: key,
        UpdateExpression: 'SET frozen_by = :u',
        ConditionExpression: 'attribute_exists(id)',
        ExpressionAttributeValues: { ':u': upgradeId },
      }),
    );
  }

  async unfreezeAll(): Promise<number> {
    return this.forEachItem('attribute_exists(frozen_by)', {}, (key) => ({
      Key: key,
      UpdateExpression: 'REMOVE frozen_by',
      ConditionExpression: 'attribute_exists(id)',
    }));
  }

  /** A strongly consistent scan for `filter`, then one conditional update per match (a vanished item is skipped). */
  private async forEachItem(
    filter: string,
    values: Record<string, unknown>,
    update: (key: Record<string, unknown>) => Omit<UpdateCommandInput, 'TableName'>,
  ): Promise<number> {
    let changed = 0;
    for await (const item of this.scanAll(filter, values)) {
      const done = await writtenIf(
        this.db.send(
          new UpdateCommand({
            TableName: this.tables.intents,
            ...update({ shard: item.shard, id: item.id }),
          }),
        ),
      );
      if (done) changed++;
    }
    return changed;
  }

  /** Every item matching `filter` (key and created_at only), by a strongly consistent scan. */
  private async *scanAll(filter: string, values: Record<string, unknown>) {
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(
        new ScanCommand({
          TableName: this.tables.intents,
          ConsistentRead: true,
          FilterExpression: filter,
          ProjectionExpression: '#shard, id, created_at',
          ExpressionAttributeNames: { '#shard': 'shard' },
          ExclusiveStartKey: start,
          ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
        }),
      );
      yield* out.Items ?? [];
      start = out.LastEvaluatedKey;
    } while (start);
  }

  async get(id: string): Promise<InflightIntent | null> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tables.intents, Key: this.key(id), ConsistentRead: true }),
    );
    return out.Item ? intentFromItem(out.Item) : null;
  }

  async list(query: InflightQuery): Promise<InflightPage> {
    const filters: string[] = ['attribute_not_exists(smoke_test)'];
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
    if (query.phase_prefix !== undefined) {
      filters.push('begins_with(#phase, :prefix)');
      values[':prefix'] = query.phase_prefix;
    }
    if (query.owner !== undefined) {
      filters.push('#owner = :owner');
      values[':owner'] = query.owner;
    }
    if (query.channel !== undefined) {
      filters.push('contains(ibc_channels, :channel)');
      values[':channel'] = query.channel;
    }
    const start = decodeCursor(query.cursor);
    if (!query.with_packets) return this.scanPage(filters.join(' AND '), values, query.limit, start);
    // Only intents with packets: their sparse index, not the table (packet-page.ts).
    filters.push('size(ibc_packets) > :zero');
    values[':zero'] = 0;
    const page = { limit: query.limit, start, selective: filters.length > 2 };
    const cutoffs = admissionCutoffs(await this.readFence(), this.skewMs);
    return packetPage(
      this.db,
      this.tables.intents,
      this.shardCount,
      filters.join(' AND '),
      values,
      page,
      cutoffs,
    );
  }

  async withLockedFunds(limit: number): Promise<InflightIntent[]> {
    const filter = 'user_funds_locked = :t OR solver_funds_locked = :t';
    return (await this.scanPage(filter, { ':t': true }, limit, undefined, 1_000)).intents;
  }

  /**
   * Reads every shard's partition with a strongly consistent Query, in parallel. Behind a closed gate, items created
   * after its close are left out: they were never admitted (their registrants refuse and remove them).
   */
  async census(fence?: FenceSnapshot): Promise<Census> {
    const cutoffs = admissionCutoffs(fence ?? (await this.readFence()), this.skewMs);
    const perShard = new Array<number>(this.shardCount).fill(0);
    let oldest: number | null = null;
    let pendingIbc = 0;
    let nearestIbcTimeout: number | null = null;
    let lockedFunds = 0;
    await Promise.all(
      perShard.map(async (_, shard) => {
        let start: Record<string, unknown> | undefined;
        do {
          const out = await this.db.send(
            new QueryCommand({
              TableName: this.tables.intents,
              KeyConditionExpression: '#shard = :s',
              ExpressionAttributeNames: { '#shard': 'shard' },
              ExpressionAttributeValues: { ':s': shard },
              ProjectionExpression:
                'created_at, ibc_in_flight, ibc_packets, user_funds_locked, solver_funds_locked, smoke_test',
              ConsistentRead: true,
              ExclusiveStartKey: start,
            }),
          );
          for (const item of out.Items ?? []) {
            if (item.smoke_test === true) continue; // the control plane's own test intent
            if (unadmitted(item, cutoffs[shard])) continue;
            perShard[shard] = (perShard[shard] ?? 0) + 1;
            const created = Number(item.created_at);
            if (oldest === null || created < oldest) oldest = created;
            // Packets when the producer gave them; an intent only flagged as in IBC counts as one.
            const packets = Array.isArray(item.ibc_packets) ? (item.ibc_packets as IbcPacket[]) : [];
            if (packets.length) pendingIbc += packets.length;
            else if (item.ibc_in_flight === true) pendingIbc++;
            for (const p of packets) {
              const at = timeoutAtMs(p);
              if (at !== null && (nearestIbcTimeout === null || at < nearestIbcTimeout))
                nearestIbcTimeout = at;
            }
            if (
              hasLockedFunds({
                user_funds_locked: item.user_funds_locked === true,
                solver_funds_locked: item.solver_funds_locked === true,
              })
            ) {
              lockedFunds++;
            }
          }
          start = out.LastEvaluatedKey;
        } while (start);
      }),
    );
    const total = perShard.reduce((a, b) => a + b, 0);
    return { perShard, total, oldestCreatedAt: oldest, pendingIbc, nearestIbcTimeout, lockedFunds };
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
    const cutoffs = admissionCutoffs(await this.readFence(), this.skewMs);
    let key = start;
    let lastKept: Record<string, unknown> | undefined;
    for (let reads = 0; reads < maxReads; reads++) {
      const out = await this.db.send(
        new ScanCommand({
          TableName: this.tables.intents,
          ConsistentRead: true,
          Limit: filter ? Math.max(limit - intents.length, 200) : limit - intents.length,
          ExclusiveStartKey: key,
          ...(filter ? { FilterExpression: filter } : {}),
          ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
          ...filterNames(filter),
        }),
      );
      key = out.LastEvaluatedKey;
      for (const item of out.Items ?? []) {
        if (intents.length === limit) {
          key = lastKept; // resume right after the last item handed out
          break;
        }
        if (unadmitted(item, cutoffs[Number(item.shard)])) continue;
        intents.push(intentFromItem(item));
        lastKept = { shard: item.shard, id: item.id };
      }
      if (!key || intents.length === limit) break;
    }
    return { intents, nextCursor: key ? encodeCursor(key) : null };
  }

  private key(id: string) {
    return { shard: shardOf(id, this.shardCount), id };
  }
}
