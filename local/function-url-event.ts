import { randomUUID } from 'node:crypto';
import type { PayloadV2Event } from '../lambdas/http/payload-v2.ts';
import type { RequestSource } from './proxy-event.ts';

/**
 * Builds a Lambda function URL (payload format 2.0) event, as Lambda hands it to the function: headers in lower
 * case with repeated ones joined by commas, cookies apart, the query both raw and parsed (repeated names joined by
 * commas), no path parameters (the function reads `rawPath`). Locally there is no IAM: no authorizer, the caller's
 * bearer token is in the headers as sent.
 */
export function toFunctionUrlEvent(
  req: RequestSource & { readonly method: string },
  url: URL,
  body: string,
  host: string,
): PayloadV2Event {
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (name === 'cookie') cookies = String(value).split(/;\s*/);
    else headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = k in query ? `${query[k]},${v}` : v;
  const now = new Date();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(cookies ? { cookies } : {}),
    headers,
    ...(url.search.length > 1 ? { queryStringParameters: query } : {}),
    ...(body === '' ? {} : { body }),
    isBase64Encoded: false,
    requestContext: {
      accountId: 'anonymous',
      apiId: host,
      domainName: `${host}.lambda-url.local`,
      domainPrefix: host,
      http: {
        method: req.method,
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: req.sourceIp,
        userAgent: String(req.headers['user-agent'] ?? ''),
      },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
  };
}
