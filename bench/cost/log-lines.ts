/**
 * Log lines no local engine writes, rendered with the values of one real-looking request so their bytes can be
 * counted: API Gateway's execution log at INFO, its access log from the template's format, and Lambda's platform
 * lines. (The functions' own lines are measured: the bundles run in the AWS-rules harness.)
 */
const REQUEST_ID = '4f1c2a9e-7b3d-4c8a-9e2f-1a2b3c4d5e6f';
const TRACE = 'Root=1-675a1b2c-0123456789abcdef01234567;Parent=53995c3f42cd8ad8;Sampled=0';
const CALLER =
  'arn:aws:sts::123456789012:assumed-role/ucp-main-api-ApiIntentRole1A2B3C4D-AbCdEfGhIjKl/producer-7';
const LAMBDA =
  'arn:aws:lambda:us-east-1:123456789012:function:ucp-main-api-ApiIntentRegister1A2B3C4D-AbCdEfGhIjKl';

/** What one request writes to API Gateway's execution log at INFO, without data tracing (a Lambda proxy method). */
export function executionLogInfo(method: string, resource: string): string[] {
  const at = (line: string) => `(${REQUEST_ID}) ${line}`;
  return [
    at('Extended Request Id: Ab1CdEfGhIjKlMnO='),
    at(`Verifying Usage Plan for request: ${REQUEST_ID}. API Key:  API Stage: a1b2c3d4e5/v1`),
    at('API Key  authorized because method requires no API Key'),
    at('Usage Plan check succeeded for API Key  and API Stage a1b2c3d4e5/v1'),
    at(`Starting execution for request: ${REQUEST_ID}`),
    at(`HTTP Method: ${method}, Resource Path: ${resource}`),
    at(
      `Endpoint request URI: https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/${LAMBDA}/invocations`,
    ),
    at(
      `Sending request to https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/${LAMBDA}/invocations`,
    ),
    at('Received response. Status: 200, Integration latency: 14 ms'),
    at('Endpoint response body before transformations: [TRUNCATED]'),
    at('Method response body after transformations: [TRUNCATED]'),
    at(`X-ray Tracing ID : ${TRACE.slice(5, 40)}`),
    at('Successfully completed execution'),
    at('Method completed with status: 201'),
  ];
}

/** The access-log line of one request, from the template's format (`$context.*` variables filled in). */
export function accessLogLine(format: string, method: string, resource: string): string {
  const values: Record<string, string> = {
    requestId: REQUEST_ID,
    'identity.userArn': CALLER,
    'identity.caller': 'AROAEXAMPLEID1234567:producer-7',
    'identity.user': 'AROAEXAMPLEID1234567:producer-7',
    'identity.sourceIp': '203.0.113.7',
    requestTime: '05/Dec/2026:20:11:41 +0000',
    requestTimeEpoch: '1796501501123',
    httpMethod: method,
    resourcePath: resource,
    status: '201',
    protocol: 'HTTP/1.1',
    responseLength: '231',
    responseLatency: '23',
  };
  return format.replace(/\$context\.([\w.]+)/g, (_, name: string) => values[name] ?? '-');
}

/** Lambda's own lines for one invocation in the text format: START, END, REPORT (with X-Ray's part when traced). */
export function platformLines(durationMs: number, memoryMb: number): string[] {
  const billed = Math.ceil(durationMs);
  return [
    `START RequestId: ${REQUEST_ID} Version: $LATEST`,
    `END RequestId: ${REQUEST_ID}`,
    `REPORT RequestId: ${REQUEST_ID}\tDuration: ${durationMs.toFixed(2)} ms\tBilled Duration: ${billed} ms\tMemory Size: ${memoryMb} MB\tMax Memory Used: 94 MB\t`,
  ];
}

/** The CDK standard access-log format the stage had before the hot path was trimmed. */
export const STANDARD_ACCESS_LOG = JSON.stringify({
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  user: '$context.identity.user',
  caller: '$context.identity.caller',
  requestTime: '$context.requestTime',
  httpMethod: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
});
