import { IntentClient } from '../../client/index.ts';
import type { AwsHarness } from './harness.ts';
import { startAwsProxy } from './proxy.ts';

/** A role of the service stacks by its logical id's start (`ProducerRole`): its ARN and its policies. */
export function roleNamed(
  h: AwsHarness,
  id: string,
): { roleArn: string; policies: { name: string; policy: unknown }[] } {
  const found = [...h.app.rolePolicies.entries()].filter(([arn]) => arn.includes(`-${id.toLowerCase()}`));
  if (found.length !== 1)
    throw new Error(`${found.length} roles match ${id}: ${found.map(([arn]) => arn).join(', ')}`);
  const [roleArn, policies] = found[0] as [string, { name: string; policy: unknown }[]];
  return { roleArn, policies };
}

/**
 * A producer client configured from the stack's outputs, whose every DynamoDB call is made as `session` of `role`
 * through a proxy that evaluates it against the role's template policies. `close` stops both.
 */
export async function producerClient(
  h: AwsHarness,
  dynamoEndpoint: string,
  role: ReturnType<typeof roleNamed>,
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
