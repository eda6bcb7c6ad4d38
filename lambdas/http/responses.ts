import type { APIGatewayProxyResult } from 'aws-lambda';
import { unavailableCause } from '../../shared/adapters/unavailable.ts';
import { DomainError } from '../../shared/domain/errors.ts';
import { hintFor, statusOf } from './error-mapping.ts';

/** What a handler returns: a status and a JSON-serialisable body. */
export interface HttpResult {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Record<string, string>;
}

export const json = (
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyResult => ({
  statusCode: status,
  headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
  body: JSON.stringify(body),
});

/**
 * The one place errors become HTTP responses: a domain or HTTP error answers with its kind's status, its code and
 * the code's hint (error-mapping.ts); anything else
 * is a 500 that names the correlation id (the details are in the log, never in the body).
 */
export function errorResponse(
  err: unknown,
  correlationId: string,
): { result: APIGatewayProxyResult; internal: boolean } {
  if (err instanceof DomainError) {
    const status = statusOf(err);
    const headers: Record<string, string> = { 'x-correlation-id': correlationId };
    const retryAfter = err.details?.retry_after_secs;
    if (status === 503 && typeof retryAfter === 'number') headers['retry-after'] = String(retryAfter);
    if (status === 401) headers['www-authenticate'] = 'Bearer';
    if (status === 405 && typeof err.details?.allow === 'string') headers.allow = err.details.allow;
    const hint = hintFor(err);
    const message = hint ? `${err.message}; ${hint}` : err.message;
    const body = { error: err.code, message, ...(hint ? { hint } : {}), ...(err.details ?? {}) };
    return { result: json(status, body, headers), internal: false };
  }
  const unavailable = unavailableCause(err);
  if (unavailable) {
    const body = {
      error: 'store_unavailable',
      message: `${unavailable}: retry in a few seconds`,
      retry_after_secs: 5,
    };
    return {
      result: json(503, body, { 'x-correlation-id': correlationId, 'retry-after': '5' }),
      internal: false,
    };
  }
  const body = {
    error: 'internal',
    message: `internal error; quote correlation id ${correlationId} when reporting it`,
  };
  return { result: json(500, body, { 'x-correlation-id': correlationId }), internal: true };
}
