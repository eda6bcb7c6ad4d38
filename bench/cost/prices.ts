/**
 * AWS list prices the cost model uses: us-east-1, on-demand, first pricing tier, as published on the pages named
 * below on the date below. The one place a price is written; `npm run bench:cost` prints this date with its figures.
 */
export const PRICES = {
  asOf: '2026-12-05',
  region: 'us-east-1',
  sources: [
    'https://aws.amazon.com/api-gateway/pricing/',
    'https://aws.amazon.com/lambda/pricing/',
    'https://aws.amazon.com/dynamodb/pricing/on-demand/',
    'https://aws.amazon.com/cloudwatch/pricing/',
    'https://aws.amazon.com/xray/pricing/',
  ],
  /** API Gateway REST API, per million requests (first 333 million a month). */
  restApiPerMillion: 3.5,
  /** API Gateway HTTP API, per million requests of up to 512 KB (first 300 million a month). */
  httpApiPerMillion: 1.0,
  /** Lambda function URLs: no charge beyond the function's own requests and duration. */
  functionUrlPerMillion: 0,
  /** Lambda, per million requests. */
  lambdaRequestsPerMillion: 0.2,
  /** Lambda duration per GB-second, by architecture (first 6 billion GB-s a month on arm64, 7.5 billion on x86). */
  lambdaGbSecond: { arm64: 0.0000133334, x86_64: 0.0000166667 } as Record<string, number>,
  /** DynamoDB on demand, per million write request units and read request units. */
  dynamoWritePerMillion: 0.625,
  dynamoReadPerMillion: 0.125,
  /** CloudWatch Logs ingestion (Standard log class), per GB. */
  logsIngestionPerGb: 0.5,
  /** X-Ray, per million traces recorded (a request's API Gateway and Lambda segments are one trace). */
  xrayPerMillionTraces: 5.0,
  /** CloudWatch custom metrics, per metric a month (first 10,000): a monthly price, not one per intent. */
  customMetricPerMonth: 0.3,
} as const;

/** CloudWatch Logs counts each event's message bytes plus 26 bytes of overhead per event. */
export const LOG_EVENT_OVERHEAD_BYTES = 26;
