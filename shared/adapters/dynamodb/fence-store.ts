import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactGetCommand,
  TransactWriteCommand,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { admitsIntents, type ModeState } from '../../domain/drain-mode.ts';
import { ConflictError, NotInitialisedError } from '../../domain/errors.ts';
import type { FenceSnapshot, FenceStore, GateState, ModeWriter } from '../../domain/ports.ts';
import { modeFromItem, modeToAttributes } from './mode-item.ts';
import { UPGRADE_LOCK_KEY } from './upgrade-lock.ts';

/** The mode record's partition key; the gates' start with GATE_PK_PREFIX (the registration route's IAM is limited to these). */
export const MODE_PK = 'MODE';
export const GATE_PK_PREFIX = 'SHARD#';
const MODE_KEY = { pk: MODE_PK, sk: 'MODE' } as const;
const shardKey = (n: number) => ({ pk: `${GATE_PK_PREFIX}${String(n).padStart(2, '0')}`, sk: 'SHARD' });
/** TransactGetItems reads at most 100 items: the mode record plus every shard. */
export const MAX_SHARDS = 99;

const isConditionFailure = (err: unknown) => err instanceof ConditionalCheckFailedException;
const concurrentChange = (now: string) =>
  new ConflictError('concurrent_change', `the drain mode changed while this call ran (it is now ${now})`);

/**
 * The drain mode and the sharded admission fence in the control table.
 * MODE/MODE holds the mode record; SHARD#nn/SHARD holds one gate (`gate` open|closed, the fence `rev` it was set
 * for, and `close_count`, the shard's inflight count taken right after it closed for `close_count_rev`).
 */
export class DynamoFenceStore implements FenceStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly shardCount: number,
  ) {
    if (!Number.isInteger(shardCount) || shardCount < 1 || shardCount > MAX_SHARDS) {
      throw new Error(`shard count must be an integer from 1 to ${MAX_SHARDS}, got ${shardCount}`);
    }
  }

  async init(initial: ModeState): Promise<void> {
    // Already initialised (the usual case): one consistent read of the mode and every gate, no write at all.
    const existing = await this.readAll();
    if (existing.modeItem && existing.gateItems.every(Boolean)) {
      this.checkShardCount(existing.modeItem.shard_count);
      return;
    }
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...MODE_KEY, ...modeToAttributes(initial), shard_count: this.shardCount },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
    const stored = await this.db.send(
      new GetCommand({ TableName: this.table, Key: MODE_KEY, ConsistentRead: true }),
    );
    this.checkShardCount(stored.Item?.shard_count);
    // New gates start closed (rev 0): they can only open once a mode that admits sets them for its fence rev.
    await Promise.all(
      this.shardNumbers().map((n) =>
        this.db
          .send(
            new PutCommand({
              TableName: this.table,
              Item: { ...shardKey(n), gate: 'closed', rev: 0, version: initial.version },
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          )
          .catch((err) => {
            if (!isConditionFailure(err)) throw err;
          }),
      ),
    );
    const mode = modeFromItem(stored.Item as Record<string, unknown>);
    await this.setGates(admitsIntents(mode.mode), mode.fenceRev, mode.version);
  }

  private checkShardCount(stored: unknown): void {
    if (stored !== this.shardCount) {
      throw new Error(
        `the control table was created with ${String(stored)} fence shards but FENCE_SHARDS is ${this.shardCount}; ` +
          'the shard count cannot change while intents may be inflight',
      );
    }
  }

  readMode(): Promise<ModeState> {
    return readModeRecord(this.db, this.table);
  }

  async snapshot(): Promise<FenceSnapshot> {
    const { modeItem, gateItems } = await this.readAll();
    if (!modeItem) throw new NotInitialisedError();
    const gates: GateState[] = [];
    gateItems.forEach((item, n) => {
      if (item) gates.push(gateFromItem(n, item));
    });
    return { mode: modeFromItem(modeItem), gates };
  }

  /** The mode record and every gate item (undefined where missing), in one TransactGetItems. */
  private async readAll(): Promise<{
    modeItem: Record<string, unknown> | undefined;
    gateItems: (Record<string, unknown> | undefined)[];
  }> {
    const keys = [MODE_KEY, ...this.shardNumbers().map(shardKey)];
    const out = await this.db.send(
      new TransactGetCommand({ TransactItems: keys.map((Key) => ({ Get: { TableName: this.table, Key } })) }),
    );
    const [modeItem, ...gateItems] = (out.Responses ?? []).map((r) => r.Item);
    return { modeItem, gateItems };
  }

  async writeMode(next: ModeState, expectedRev: number, writer: ModeWriter): Promise<void> {
    const attrs = modeToAttributes(next);
    const names = Object.keys(attrs);
    const update = {
      TableName: this.table,
      Key: MODE_KEY,
      UpdateExpression: `SET ${names.map((_n, i) => `#a${i} = :a${i}`).join(', ')}`,
      ConditionExpression: '#rev = :expected',
      ExpressionAttributeNames: { '#rev': 'rev', ...Object.fromEntries(names.map((n, i) => [`#a${i}`, n])) },
      ExpressionAttributeValues: {
        ':expected': expectedRev,
        ...Object.fromEntries(names.map((n, i) => [`:a${i}`, attrs[n]])),
      },
    };
    if (writer.kind === 'system') {
      try {
        await this.db.send(new UpdateCommand({ ...update, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }));
      } catch (err) {
        if (!isConditionFailure(err)) throw err;
        throw concurrentChange(
          err.Item ? String((err.Item as Record<string, { S?: string }>).mode?.S) : 'unknown',
        );
      }
      return;
    }
    // The owner rule: an upgrade writes only while it holds the lock, an operator only while no upgrade does.
    const lock =
      writer.kind === 'upgrade'
        ? { ConditionExpression: 'upgrade_id = :id', ExpressionAttributeValues: { ':id': writer.upgradeId } }
        : { ConditionExpression: 'attribute_not_exists(pk)' };
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            { Update: update },
            { ConditionCheck: { TableName: this.table, Key: UPGRADE_LOCK_KEY, ...lock } },
          ],
        }),
      );
    } catch (err) {
      if (!(err instanceof TransactionCanceledException)) throw err;
      const [modeReason, lockReason] = err.CancellationReasons ?? [];
      if (lockReason?.Code === 'ConditionalCheckFailed') throw await this.notOwner(writer);
      if (modeReason?.Code === 'ConditionalCheckFailed') throw concurrentChange((await this.readMode()).mode);
      throw err;
    }
  }

  async ownerRefusal(writer: ModeWriter): Promise<ConflictError | null> {
    if (writer.kind === 'system') return null;
    const refusal = await this.notOwner(writer);
    const holder = refusal.details?.upgrade_id ?? null;
    const owns =
      writer.kind === 'upgrade' ? refusal.details?.lock_holder === writer.upgradeId : holder === null;
    return owns ? null : refusal;
  }

  /** The refusal of a mode write by a writer that does not own the mode now. */
  private async notOwner(writer: ModeWriter): Promise<ConflictError> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: UPGRADE_LOCK_KEY, ConsistentRead: true }),
    );
    const holder = (out.Item?.upgrade_id as string | undefined) ?? null;
    if (writer.kind === 'upgrade')
      return new ConflictError(
        'upgrade_not_owner',
        `upgrade ${writer.upgradeId} no longer holds the upgrade lock (${holder ? `upgrade ${holder} does` : 'nobody does'}), so it may not change the drain mode`,
        { upgrade_id: writer.upgradeId, lock_holder: holder },
      );
    return new ConflictError(
      'upgrade_owns_mode',
      `upgrade ${holder ?? '(just finished)'} is running and owns the drain mode: a manual drain call cannot change it while it runs`,
      { upgrade_id: holder },
    );
  }

  async setGates(open: boolean, fenceRev: number, version: string): Promise<void> {
    // A condition failure means the gate is set for a newer fence rev already, or for this rev and version.
    // The same rev with another version (a gate written before gates carried versions) takes the version only.
    await this.updateEveryGate(() => ({
      UpdateExpression: 'SET gate = :gate, #rev = :rev, version = :version',
      ConditionExpression:
        'attribute_exists(pk) AND (#rev < :rev OR (#rev = :rev AND gate = :gate AND (attribute_not_exists(version) OR version <> :version)))',
      ExpressionAttributeNames: { '#rev': 'rev' },
      ExpressionAttributeValues: { ':gate': open ? 'open' : 'closed', ':rev': fenceRev, ':version': version },
    }));
  }

  async recordCloseCounts(fenceRev: number, perShard: readonly number[], closedAt: number): Promise<void> {
    // A condition failure means the count is recorded already, or the gate has moved on.
    await this.updateEveryGate((n) => ({
      UpdateExpression: 'SET close_count = :count, close_count_rev = :rev, closed_at = :at',
      ConditionExpression:
        'gate = :closed AND #rev = :rev AND (attribute_not_exists(close_count_rev) OR close_count_rev <> :rev)',
      ExpressionAttributeNames: { '#rev': 'rev' },
      ExpressionAttributeValues: {
        ':count': perShard[n] ?? 0,
        ':rev': fenceRev,
        ':closed': 'closed',
        ':at': closedAt,
      },
    }));
  }

  /** One conditional update per gate, in parallel; a failed condition is an answer, not an error. */
  private async updateEveryGate(
    update: (n: number) => Omit<UpdateCommandInput, 'TableName' | 'Key'>,
  ): Promise<void> {
    await Promise.all(
      this.shardNumbers().map((n) =>
        this.db
          .send(new UpdateCommand({ TableName: this.table, Key: shardKey(n), ...update(n) }))
          .catch((err) => {
            if (!isConditionFailure(err)) throw err;
          }),
      ),
    );
  }

  private shardNumbers(): number[] {
    return Array.from({ length: this.shardCount }, (_, n) => n);
  }
}

export { shardKey };

/** The mode record, strongly consistent; missing before the first admin call (503 not_initialised). */
export async function readModeRecord(db: DynamoDBDocumentClient, table: string): Promise<ModeState> {
  const out = await db.send(new GetCommand({ TableName: table, Key: MODE_KEY, ConsistentRead: true }));
  if (!out.Item) throw new NotInitialisedError();
  return modeFromItem(out.Item);
}

/**
 * The fence's shard count as the mode record stores it (`shard_count`, written at creation): what a producer's
 * client addresses shards by, so it cannot disagree with the deployment's FENCE_SHARDS.
 */
export async function readShardCount(db: DynamoDBDocumentClient, table: string): Promise<number> {
  const out = await db.send(
    new GetCommand({
      TableName: table,
      Key: MODE_KEY,
      ConsistentRead: true,
      ProjectionExpression: 'shard_count',
    }),
  );
  if (!out.Item) throw new NotInitialisedError();
  const n = out.Item.shard_count;
  if (typeof n !== 'number') throw new Error(`the mode record in ${table} has no shard_count`);
  return n;
}

export function gateFromItem(shard: number, item: Record<string, unknown>): GateState {
  const numOrNull = (k: string) => (typeof item[k] === 'number' ? (item[k] as number) : null);
  return {
    shard,
    open: item.gate === 'open',
    rev: Number(item.rev ?? 0),
    version: typeof item.version === 'string' ? item.version : null,
    closeCount: numOrNull('close_count'),
    closeCountRev: numOrNull('close_count_rev'),
    closedAt: numOrNull('closed_at'),
  };
}
