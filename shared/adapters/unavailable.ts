/** Socket errors of a dependency that is down, restarting or unreachable. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EAI_AGAIN',
]);

/** AWS SDK errors that mean "try again later": timeouts, throttling, the service's own 5xx. */
const TRANSIENT_NAMES = new Set([
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'ServiceUnavailable',
  'InternalServerError',
  'InternalError',
  'SlowDown',
]);

interface Failure {
  readonly name?: string;
  readonly code?: string;
  readonly cause?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

/**
 * Why an error is a dependency being unavailable (DynamoDB or S3 not answering, throttling, its 5xx) after the
 * SDK's own retries, or null for anything else. Nothing is wrong with the request or the control plane, and the
 * caller should retry: a route answers 503 with Retry-After, not a 500 (lambdas/http/responses.ts), and a workflow
 * step fails as DependencyUnavailable, which an idempotent Task retries (lambdas/workflow/workflow-task.ts).
 */
export function unavailableCause(err: unknown): string | null {
  for (let e = err as Failure | undefined, depth = 0; e && depth < 3; e = e.cause as Failure, depth++) {
    if (e.code && NETWORK_CODES.has(e.code))
      return `a dependency refused or dropped the connection (${e.code})`;
    if (e.name && TRANSIENT_NAMES.has(e.name))
      return `a dependency did not answer in time or is busy (${e.name})`;
    if ((e.$metadata?.httpStatusCode ?? 0) >= 500)
      return `a dependency answered ${e.$metadata?.httpStatusCode}`;
  }
  return null;
}
