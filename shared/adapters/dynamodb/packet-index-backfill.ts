import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  ScanCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';

/** Intents that carry packets but are not in the packet index: stored before the index existed. */
const UNINDEXED = 'size(ibc_packets) > :zero AND attribute_not_exists(ibc_shard)';

/**
 * Puts into the packet index (tables.ts) every intent that carries packets but was stored before the index existed:
 * sets its `ibc_shard` to its shard. Run once, when the index is added to a table that has items. Each update is
 * conditional on the same test, so an intent completed or patched meanwhile is left as its writer left it.
 * Returns how many it indexed.
 */
export async function backfillPacketIndex(client: DynamoDBClient, table: string): Promise<number> {
  let indexed = 0;
  let start: Record<string, never> | undefined;
  do {
    const out = await client.send(
      new ScanCommand({
        TableName: table,
        ConsistentRead: true,
        FilterExpression: UNINDEXED,
        ProjectionExpression: '#shard, id',
        ExpressionAttributeNames: { '#shard': 'shard' },
        ExpressionAttributeValues: { ':zero': { N: '0' } },
        ExclusiveStartKey: start,
      }),
    );
    for (const key of out.Items ?? []) {
      try {
        await client.send(
          new UpdateItemCommand({
            TableName: table,
            Key: key,
            UpdateExpression: 'SET ibc_shard = #shard',
            ConditionExpression: `attribute_exists(id) AND ${UNINDEXED}`,
            ExpressionAttributeNames: { '#shard': 'shard' },
            ExpressionAttributeValues: { ':zero': { N: '0' } },
          }),
        );
        indexed++;
      } catch (err) {
        if (!(err instanceof ConditionalCheckFailedException)) throw err;
      }
    }
    start = out.LastEvaluatedKey as Record<string, never> | undefined;
  } while (start);
  return indexed;
}
