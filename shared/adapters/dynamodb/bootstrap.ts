import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
  type TableDescription,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { backfillPacketIndex } from './packet-index-backfill.ts';
import { PACKET_INDEX, type TableNames, tableDefinitions } from './tables.ts';

/**
 * Creates the tables that do not exist yet and waits until they are ACTIVE (local runs and tests; CDK does this on
 * AWS). A table made by an older version (an older data folder) gets the secondary indexes it lacks, and the packet
 * index is backfilled from the intents already stored.
 */
export async function ensureTables(client: DynamoDBClient, names: TableNames): Promise<void> {
  for (const def of tableDefinitions(names)) {
    let created = true;
    try {
      await client.send(new CreateTableCommand(def));
    } catch (err) {
      if (!(err instanceof ResourceInUseException)) throw err;
      created = false;
    }
    const table = await whenActive(client, def.TableName as string);
    if (created) continue;
    for (const added of await addMissingIndexes(client, def, table))
      if (added === PACKET_INDEX) await backfillPacketIndex(client, def.TableName as string);
  }
}

/** Adds, one at a time as DynamoDB requires, the indexes of `def` that `table` lacks; returns their names. */
async function addMissingIndexes(
  client: DynamoDBClient,
  def: CreateTableCommandInput,
  table: TableDescription,
): Promise<string[]> {
  const has = new Set((table.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
  const added: string[] = [];
  for (const index of def.GlobalSecondaryIndexes ?? []) {
    if (has.has(index.IndexName)) continue;
    await client.send(
      new UpdateTableCommand({
        TableName: def.TableName,
        AttributeDefinitions: def.AttributeDefinitions,
        GlobalSecondaryIndexUpdates: [{ Create: index }],
      }),
    );
    await whenActive(client, def.TableName as string);
    added.push(index.IndexName as string);
  }
  return added;
}

/** Waits (up to 10 s) until the table and all its indexes are ACTIVE; returns its description. */
async function whenActive(client: DynamoDBClient, name: string): Promise<TableDescription> {
  let table: TableDescription | undefined;
  for (let i = 0; i < 100; i++) {
    table = (await client.send(new DescribeTableCommand({ TableName: name }))).Table;
    const indexes = table?.GlobalSecondaryIndexes ?? [];
    if (table?.TableStatus === 'ACTIVE' && indexes.every((x) => x.IndexStatus === 'ACTIVE')) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return table ?? {};
}

/** The same against a local endpoint (DynamoDB Local), with its dummy credentials. */
export async function ensureLocalTables(endpoint: string, names: TableNames): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    await ensureTables(client, names);
  } finally {
    client.destroy();
  }
}
