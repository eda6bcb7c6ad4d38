import type { TestProject } from 'vitest/node';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../local/engines/dynamodb-local.ts';
import { type LocalS3, startLocalS3 } from '../../local/engines/s3-server.ts';

let ddb: DynamoDbLocal | undefined;
let s3: LocalS3 | undefined;

/** One DynamoDB Local (in memory) for the whole run; each test file makes its own tables under a unique prefix. */
export async function setup(project: TestProject): Promise<void> {
  ddb = await startDynamoDbLocal();
  s3 = await startLocalS3({ bucket: 'ucp-test' });
  project.provide('dynamoEndpoint', ddb.endpoint);
  project.provide('s3Endpoint', s3.endpoint);
}

export async function teardown(): Promise<void> {
  await s3?.stop();
  await ddb?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    s3Endpoint: string;
  }
}
