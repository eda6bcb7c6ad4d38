import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';

/** A control-table item without its keys: the record as its store hands it out. */
export const withoutKeys = <T>(item: Record<string, unknown>): T => {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest as T;
};

/** One item of the control table by its keys, read strongly consistent; null when absent. */
export async function getKeyed<T>(db: DynamoDBDocumentClient, table: string, pk: string, sk: string) {
  const out = await db.send(new GetCommand({ TableName: table, Key: { pk, sk }, ConsistentRead: true }));
  return out.Item ? withoutKeys<T>(out.Item) : null;
}

/** The newest `limit` items of one partition (sort keys that sort by creation time), strongly consistent. */
export async function listNewest<T>(db: DynamoDBDocumentClient, table: string, pk: string, limit: number) {
  const out = await db.send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
      ScanIndexForward: false,
      Limit: limit,
      ConsistentRead: true,
    }),
  );
  return (out.Items ?? []).map((i) => withoutKeys<T>(i));
}
