import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import { type TableNames, tableDefinitions } from './tables.ts';

/** Creates the tables that do not exist yet and waits until they are ACTIVE (local runs and tests; CDK does this on AWS). */
export async function ensureTables(client: DynamoDBClient, names: TableNames): Promise<void> {
  for (const def of tableDefinitions(names)) {
    try {
      await client.send(new CreateTableCommand(def));
    } catch (err) {
      if (!(err instanceof ResourceInUseException)) throw err;
    }
    for (let i = 0; i < 100; i++) {
      const out = await client.send(new DescribeTableCommand({ TableName: def.TableName }));
      if (out.Table?.TableStatus === 'ACTIVE') break;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
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
