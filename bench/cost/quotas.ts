/**
 * The account's default quotas on the intent path (us-east-1; Service Quotas, as of the prices' date). Each names
 * the quota to ask for when a path needs more.
 */
export const DEFAULT_QUOTAS = {
  /** API Gateway: requests per second across every API of the account in the Region (burst 5,000). */
  apiGatewayRps: { value: 10_000, quota: 'API Gateway: Throttle rate (account, Region)' },
  /** Lambda: concurrent executions in the Region. */
  lambdaConcurrency: { value: 1_000, quota: 'Lambda: Concurrent executions' },
  /** Lambda: invocations per second are at most 10 x the concurrency quota. */
  lambdaRpsPerConcurrency: 10,
  /** Lambda: a function scales by at most this many executions every 10 seconds. */
  lambdaScalingPer10s: 1_000,
  /** DynamoDB on demand: the most a table serves, each of reads and writes, per second. */
  tableWriteUnits: { value: 40_000, quota: 'DynamoDB: Table-level write throughput limit' },
  tableReadUnits: { value: 40_000, quota: 'DynamoDB: Table-level read throughput limit' },
  /** DynamoDB: what one partition (so one partition key value, at least) serves per second. */
  partitionWriteUnits: 1_000,
  partitionReadUnits: 3_000,
  /** A new on-demand table serves this much at first, before it has scaled (unless warm throughput is set). */
  newTableWriteUnits: 4_000,
  newTableReadUnits: 12_000,
} as const;

/** The design rate of docs/fence-design.md: admissions per second. */
export const DESIGN_RATE = 10_000;
