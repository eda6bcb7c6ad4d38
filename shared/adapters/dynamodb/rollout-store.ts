import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  type CreateOutcome,
  FINISHED,
  type ProtocolRollout,
  type RolloutStore,
} from '../../protocol/rollout.ts';
import { writtenIf } from './conditional-write.ts';
import { getKeyed, listNewest } from './keyed-items.ts';
import { ROLLOUT_ACTIVE_KEY, UPGRADE_LOCK_KEY } from './upgrade-lock.ts';

const PK = 'PROTOCOL_ROLLOUTS';

/**
 * Protocol rollouts in the control table: PROTOCOL_ROLLOUTS/<id>, one item each (ids sort by creation time), and
 * the ACTIVE marker that makes "one unfinished rollout at a time" a condition of the create, not a caller's check.
 */
export class DynamoRolloutStore implements RolloutStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async create(r: ProtocolRollout): Promise<CreateOutcome> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: { ...ROLLOUT_ACTIVE_KEY, rollout_id: r.id },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName: this.table,
                Item: { pk: PK, sk: r.id, ...r },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              // No upgrade that changes the running version holds the lock (a rolling release may).
              ConditionCheck: {
                TableName: this.table,
                Key: UPGRADE_LOCK_KEY,
                ConditionExpression: 'attribute_not_exists(pk) OR changes_version = :no',
                ExpressionAttributeValues: { ':no': false },
              },
            },
          ],
        }),
      );
      return { created: true };
    } catch (err) {
      if (!(err instanceof TransactionCanceledException)) throw err;
      if (err.CancellationReasons?.[2]?.Code === 'ConditionalCheckFailed') {
        const lock = await this.db.send(
          new GetCommand({ TableName: this.table, Key: UPGRADE_LOCK_KEY, ConsistentRead: true }),
        );
        return { created: false, upgrade: String(lock.Item?.upgrade_id ?? 'an upgrade') };
      }
      const marker = await this.marker();
      return { created: false, active: marker ?? r.id };
    }
  }

  get(id: string): Promise<ProtocolRollout | null> {
    return getKeyed<ProtocolRollout>(this.db, this.table, PK, id);
  }

  async active(): Promise<ProtocolRollout | null> {
    const id = await this.marker();
    return id ? this.get(id) : null;
  }

  list(limit: number): Promise<ProtocolRollout[]> {
    return listNewest<ProtocolRollout>(this.db, this.table, PK, limit);
  }

  async replace(next: ProtocolRollout): Promise<boolean> {
    const put = {
      TableName: this.table,
      Item: { pk: PK, sk: next.id, ...next },
      ConditionExpression: '#rev = :read',
      ExpressionAttributeNames: { '#rev': 'rev' },
      ExpressionAttributeValues: { ':read': next.rev - 1 },
    };
    if (!FINISHED.includes(next.phase)) return writtenIf(this.db.send(new PutCommand(put)));
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: put },
            {
              Delete: {
                TableName: this.table,
                Key: ROLLOUT_ACTIVE_KEY,
                ConditionExpression: 'rollout_id = :id',
                ExpressionAttributeValues: { ':id': next.id },
              },
            },
          ],
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof TransactionCanceledException) return false;
      throw err;
    }
  }

  private async marker(): Promise<string | null> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: ROLLOUT_ACTIVE_KEY, ConsistentRead: true }),
    );
    return out.Item ? String(out.Item.rollout_id) : null;
  }
}
