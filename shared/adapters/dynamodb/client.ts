import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface DynamoClientOptions {
  /** Set for DynamoDB Local (http://127.0.0.1:PORT); unset on AWS. */
  readonly endpoint?: string | undefined;
  readonly region?: string | undefined;
  /** Each request's timeout (a store that stops answering fails the call, and the SDK retries it). */
  readonly requestTimeoutMs?: number;
  /** Credentials or a credential provider (default: the SDK's chain on AWS, fixed dummy ones locally). */
  readonly credentials?: DynamoDBClientConfig['credentials'];
}

/** How long to wait for a connection to the store, whatever the request. */
export const CONNECTION_TIMEOUT_MS = 1_000;

/**
 * A document client; against a local endpoint it uses fixed dummy credentials (unless given others) so no AWS account
 * is needed.
 */
export function makeDocumentClient(opts: DynamoClientOptions): DynamoDBDocumentClient {
  const local = opts.endpoint !== undefined;
  const client = new DynamoDBClient({
    region: opts.region ?? (local ? 'us-east-1' : undefined),
    ...(local
      ? { endpoint: opts.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
    ...(opts.credentials ? { credentials: opts.credentials } : {}),
    // Standard retry mode: throttling, 5xx and timeouts are retried with backoff, 3 attempts in all (a paused store
    // answers 503 after about 3 × the request timeout instead of hanging).
    maxAttempts: 3,
    requestHandler: {
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      requestTimeout: opts.requestTimeoutMs ?? 3_000,
      throwOnRequestTimeout: true,
    },
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}
