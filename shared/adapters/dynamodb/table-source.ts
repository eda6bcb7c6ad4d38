import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { CheckpointSource } from '../../checkpoint/manifest.ts';

/** Snapshots a whole DynamoDB table (solver states, say) into a checkpoint part, page by page. */
export function dynamoTableSource(name: string, db: DynamoDBDocumentClient, table: string): CheckpointSource {
  return {
    name,
    async *records() {
      let start: Record<string, unknown> | undefined;
      do {
        const out = await db.send(
          new ScanCommand({ TableName: table, ConsistentRead: true, ExclusiveStartKey: start }),
        );
        yield* out.Items ?? [];
        start = out.LastEvaluatedKey;
      } while (start);
    },
  };
}
