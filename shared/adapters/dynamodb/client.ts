import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface DynamoClientOptions {
  /** Set for DynamoDB Local (http://127.0.0.1:PORT); unset on AWS. */
  readonly endpoint?: string | undefined;
  readonly region?: string | undefined;
}

/** A document client; against a local endpoint it uses fixed dummy credentials so no AWS account is needed. */
export function makeDocumentClient(opts: DynamoClientOptions): DynamoDBDocumentClient {
  const local = opts.endpoint !== undefined;
  const client = new DynamoDBClient({
    region: opts.region ?? (local ? 'us-east-1' : undefined),
    ...(local
      ? { endpoint: opts.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
    maxAttempts: 5,
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}
