import { IntentClient } from '../../client/index.ts';
import type { AwsHarness } from './harness.ts';
import { startAwsProxy } from './proxy.ts';

/**
 * A producer client configured from the stack's outputs, whose every DynamoDB call is made as `session` of `role`
 * through a proxy that evaluates it against the role's template policies. `close` stops both.
 */
export async function producerClient(
  h: AwsHarness,
  dynamoEndpoint: string,
  role: ReturnType<AwsHarness['role']>,
  session: string,
): Promise<{ client: IntentClient; close(): Promise<void> }> {
  const proxy = await startAwsProxy({ ...role, sessionName: session }, h.iam, {
    dynamodb: dynamoEndpoint,
    s3: 'http://127.0.0.1:9',
    local: {},
    bucketKeys: {},
  });
  const client = new IntentClient({
    tables: {
      control: h.app.outputs.ControlTableName ?? '',
      intents: h.app.outputs.IntentsTableName ?? '',
    },
    region: 'us-east-1',
    endpoint: proxy.url,
    credentials: { accessKeyId: 'AKIAPRODUCER', secretAccessKey: 'producer-secret' },
    versionCacheMs: 0,
    requestTimeoutMs: 10_000,
  });
  return {
    client,
    async close() {
      client.close();
      await new Promise<void>((ok) => proxy.server.close(() => ok()));
    },
  };
}
