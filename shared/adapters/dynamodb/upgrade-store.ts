import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../../domain/errors.ts';
import type { StepRecord, UpgradeRecord, UpgradeStore } from '../../upgrade/upgrade-record.ts';
import { writtenIf } from './conditional-write.ts';
import { retryOnConflict } from './transactions.ts';
import { ROLLOUT_ACTIVE_KEY, UPGRADE_LOCK_KEY } from './upgrade-lock.ts';

const recordKey = (id: string) => ({ pk: 'UPGRADES', sk: id });
/** The history index: one small item per upgrade, sorted by start time (ids do not sort by time). */
const BY_START = 'UPGRADES_BY_START';
const startKey = (startedAt: number, id: string) => ({
  pk: BY_START,
  sk: `${String(startedAt).padStart(15, '0')}#${id}`,
});

/**
 * Upgrades in the control table: UPGRADES/<id> holds each record, UPGRADES_BY_START/<started_at>#<id> orders them
 * by start time (written with the record, in one transaction), UPGRADE#<id>/STEP#<seq> its steps, and
 * UPGRADE_LOCK/LOCK the id of the one upgrade allowed to run.
 */
export class DynamoUpgradeStore implements UpgradeStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async acquireLock(id: string, now: number, changesVersion: boolean): Promise<string | null> {
    const put = {
      TableName: this.table,
      Item: { ...UPGRADE_LOCK_KEY, upgrade_id: id, acquired_at: now, changes_version: changesVersion },
      ConditionExpression: 'attribute_not_exists(pk)',
    };
    if (!changesVersion) {
      const acquired = await writtenIf(this.db.send(new PutCommand(put)));
      return acquired ? null : ((await this.lockHolder()) ?? 'another upgrade');
    }
    // The running version is a protocol rollout's while one is unfinished: the lock is taken only if none is.
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: put },
            {
              ConditionCheck: {
                TableName: this.table,
                Key: ROLLOUT_ACTIVE_KEY,
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
      return null;
    } catch (err) {
      if (!(err instanceof TransactionCanceledException)) throw err;
      if (err.CancellationReasons?.[1]?.Code === 'ConditionalCheckFailed')
        throw new ConflictError(
          'protocol_rollout_active',
          'a protocol rollout owns the running version until it is removed or rolled back (GET /admin/protocol/rollouts): upgrade without a new target_version (a rolling release, maintenance), or finish the rollout first',
        );
      return (await this.lockHolder()) ?? 'another upgrade';
    }
  }

  async releaseLock(id: string): Promise<void> {
    // Refused when the lock is not ours, or released already.
    await writtenIf(
      this.db.send(
        new DeleteCommand({
          TableName: this.table,
          Key: UPGRADE_LOCK_KEY,
          ConditionExpression: 'upgrade_id = :id',
          ExpressionAttributeValues: { ':id': id },
        }),
      ),
    );
  }

  async lockHolder(): Promise<string | null> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: UPGRADE_LOCK_KEY, ConsistentRead: true }),
    );
    return (out.Item?.upgrade_id as string | undefined) ?? null;
  }

  async create(record: UpgradeRecord): Promise<void> {
    // The record and its start-time index entry together; a TransactionConflict (AWS only) is retried.
    await retryOnConflict(() =>
      this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: { ...recordKey(record.id), ...record },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName: this.table,
                Item: { ...startKey(record.started_at, record.id), upgrade_id: record.id },
              },
            },
          ],
        }),
      ),
    );
  }

  async get(id: string): Promise<UpgradeRecord | null> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: recordKey(id), ConsistentRead: true }),
    );
    return out.Item ? strip(out.Item) : null;
  }

  async update(id: string, patch: Partial<UpgradeRecord>): Promise<void> {
    const entries = Object.entries(patch).filter(([, v]) => v !== undefined);
    if (!entries.length) return;
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: recordKey(id),
        UpdateExpression: `SET ${entries.map((_, i) => `#f${i} = :v${i}`).join(', ')}`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: Object.fromEntries(entries.map(([k], i) => [`#f${i}`, k])),
        ExpressionAttributeValues: Object.fromEntries(entries.map(([, v], i) => [`:v${i}`, v])),
      }),
    );
  }

  async list(limit: number): Promise<UpgradeRecord[]> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': BY_START },
        ScanIndexForward: false,
        Limit: limit,
        ConsistentRead: true,
      }),
    );
    const ids = (out.Items ?? []).map((i) => String(i.upgrade_id));
    const records = await Promise.all(ids.map((id) => this.get(id)));
    return records.filter((r): r is UpgradeRecord => r !== null);
  }

  async putStep(step: StepRecord): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: `UPGRADE#${step.upgrade_id}`, sk: `STEP#${step.seq}`, ...step },
      }),
    );
  }

  async steps(id: string): Promise<StepRecord[]> {
    const steps: StepRecord[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :step)',
          ExpressionAttributeValues: { ':pk': `UPGRADE#${id}`, ':step': 'STEP#' },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of out.Items ?? []) {
        const { pk: _pk, sk: _sk, ...step } = item;
        steps.push(step as StepRecord);
      }
      start = out.LastEvaluatedKey;
    } while (start);
    return steps;
  }
}

function strip(item: Record<string, unknown>): UpgradeRecord {
  const { pk: _pk, sk: _sk, ...record } = item;
  return record as unknown as UpgradeRecord;
}
