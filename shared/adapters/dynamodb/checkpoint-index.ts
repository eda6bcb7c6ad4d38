import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { CheckpointIndex, CheckpointSummary } from '../../checkpoint/manifest.ts';

/** Checkpoint summaries in the control table (CHECKPOINTS/<id>); `expires_at` is the table's TTL attribute on AWS. */
export class DynamoCheckpointIndex implements CheckpointIndex {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async put(summary: CheckpointSummary): Promise<void> {
    await this.db.send(
      new PutCommand({ TableName: this.table, Item: { pk: 'CHECKPOINTS', sk: summary.id, ...summary } }),
    );
  }

  async get(id: string): Promise<CheckpointSummary | null> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { pk: 'CHECKPOINTS', sk: id }, ConsistentRead: true }),
    );
    return out.Item ? strip(out.Item) : null;
  }

  async list(limit: number, nowSecs: number): Promise<CheckpointSummary[]> {
    // TTL deletion is lazy on AWS and absent on DynamoDB Local: expired entries are filtered on read.
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        FilterExpression: 'expires_at > :now',
        ExpressionAttributeValues: { ':pk': 'CHECKPOINTS', ':now': nowSecs },
        ScanIndexForward: false,
        ConsistentRead: true,
      }),
    );
    return (out.Items ?? []).slice(0, limit).map(strip);
  }
}

function strip(item: Record<string, unknown>): CheckpointSummary {
  const { pk: _pk, sk: _sk, ...summary } = item;
  return summary as unknown as CheckpointSummary;
}
