import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import type { LambdaHandler } from '../lambdas/http/http-handler.ts';
import type { Route } from '../lambdas/routes.ts';

export type { LambdaHandler };

/** A route with its path pattern and its loaded handler. */
export interface CompiledRoute extends Route {
  readonly pattern: RegExp;
  readonly params: string[];
  readonly fn: LambdaHandler;
}

/** Who sent a request: its headers and address (an HTTP request's, or the local console's own in-process read). */
export interface RequestSource {
  readonly headers: IncomingHttpHeaders;
  readonly sourceIp: string;
}

/** Builds an API Gateway REST (v1) proxy event, as API Gateway would hand it to the Lambda. */
export function toEvent(
  req: RequestSource,
  url: URL,
  route: CompiledRoute,
  match: RegExpExecArray,
  body: string,
): APIGatewayProxyEvent {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    const values = Array.isArray(value) ? value : [value];
    headers[name] = values[values.length - 1] ?? '';
    multiValueHeaders[name] = values;
  }
  const query: Record<string, string> = {};
  const multiQuery: Record<string, string[]> = {};
  for (const [k, v] of url.searchParams) {
    query[k] = v;
    multiQuery[k] = [...(multiQuery[k] ?? []), v];
  }
  const pathParameters = Object.fromEntries(
    route.params.map((p, i) => [p, decodeURIComponent(match[i + 1] ?? '')]),
  );
  const requestId = randomUUID();
  return {
    resource: route.resource,
    path: url.pathname,
    httpMethod: route.method,
    headers,
    multiValueHeaders,
    queryStringParameters: Object.keys(query).length ? query : null,
    multiValueQueryStringParameters: Object.keys(multiQuery).length ? multiQuery : null,
    pathParameters: route.params.length ? pathParameters : null,
    stageVariables: null,
    body: body === '' ? null : body,
    isBase64Encoded: false,
    requestContext: {
      requestId,
      resourcePath: route.resource,
      httpMethod: route.method,
      path: url.pathname,
      stage: 'local',
      identity: { sourceIp: req.sourceIp, userArn: null },
    },
  } as unknown as APIGatewayProxyEvent;
}

/** The few Lambda context fields the handlers read. */
export const lambdaContext = (name: string, requestId: string): Context =>
  ({
    functionName: name,
    awsRequestId: requestId,
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => 30_000,
  }) as unknown as Context;
