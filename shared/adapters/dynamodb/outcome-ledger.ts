import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { shardOf } from '../../domain/inflight.ts';
import {
  noOutcomes,
  OUTCOMES,
  type Outcome,
  type OutcomeCounting,
  type OutcomeLedger,
  type OutcomeTotals,
} from '../../domain/outcomes.ts';
import { writtenIf } from './conditional-write.ts';

/** Counter items per upgrade: completions spread over this many partition keys (each takes 1,000 WCU/s). */
export const OUTCOME_COUNTERS = 8;
/** Every key this ledger touches starts with this (the completion route's IAM is limited to such keys). */
export const OUTCOMES_PK_PREFIX = 'OUTCOMES';
const COUNTING_KEY = { pk: OUTCOMES_PK_PREFIX, sk: 'COUNTING' };
const counterKey = (upgradeId: string, n: number) => ({
  pk: `${OUTCOMES_PK_PREFIX}#${upgradeId}#${n}`,
  sk: 'COUNT',
});

/**
 * Outcome counts in the control table: OUTCOMES/COUNTING names the upgrade whose bake counts, and
 * OUTCOMES#<upgrade>#<n>/COUNT holds one share of its counts (ADD, so a completion is one small UpdateItem).
 */
export class DynamoOutcomeLedger implements OutcomeLedger {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async counting(): Promise<OutcomeCounting | null> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: COUNTING_KEY }));
    const item = out.Item;
    if (!item) return null;
    return {
      upgradeId: String(item.upgrade_id),
      since: Number(item.since),
      until: Number(item.until),
      ...(Array.isArray(item.owners) ? { owners: item.owners as string[] } : {}),
    };
  }

  async begin(c: OutcomeCounting): Promise<void> {
    await writtenIf(
      this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...COUNTING_KEY,
            upgrade_id: c.upgradeId,
            since: c.since,
            until: c.until,
            ...(c.owners ? { owners: c.owners } : {}),
          },
          // A resumed bake keeps the start it had; another upgrade's leftover is replaced.
          ConditionExpression: 'attribute_not_exists(pk) OR upgrade_id <> :u',
          ExpressionAttributeValues: { ':u': c.upgradeId },
        }),
      ),
    );
  }

  async end(upgradeId: string): Promise<void> {
    await writtenIf(
      this.db.send(
        new DeleteCommand({
          TableName: this.table,
          Key: COUNTING_KEY,
          ConditionExpression: 'upgrade_id = :u',
          ExpressionAttributeValues: { ':u': upgradeId },
        }),
      ),
    );
  }

  async add(upgradeId: string, outcome: Outcome, key: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: counterKey(upgradeId, shardOf(key, OUTCOME_COUNTERS)),
        UpdateExpression: 'ADD #o :one',
        ExpressionAttributeNames: { '#o': outcome },
        ExpressionAttributeValues: { ':one': 1 },
      }),
    );
  }

  async totals(upgradeId: string): Promise<OutcomeTotals> {
    const items = await Promise.all(
      Array.from({ length: OUTCOME_COUNTERS }, (_, n) =>
        this.db.send(
          new GetCommand({ TableName: this.table, Key: counterKey(upgradeId, n), ConsistentRead: true }),
        ),
      ),
    );
    const sum = noOutcomes();
    for (const { Item } of items) for (const o of OUTCOMES) sum[o] += Number(Item?.[o] ?? 0);
    return sum;
  }
}
