import type { APIGatewayProxyEvent, APIGatewayProxyEventV2WithIAMAuthorizer } from 'aws-lambda';
import type { Route } from '../routes.ts';
import { badRequest, HttpError } from './http-errors.ts';
import type { HttpMiddleware } from './middleware/types.ts';

/**
 * A payload format 2.0 event: what a Lambda function URL sends (and an HTTP API). With AWS_IAM auth the caller's
 * ARN is in `requestContext.authorizer.iam`; without it (a local URL with a bearer token) there is no authorizer.
 */
export type PayloadV2Event = Omit<APIGatewayProxyEventV2WithIAMAuthorizer, 'requestContext'> & {
  requestContext: Omit<APIGatewayProxyEventV2WithIAMAuthorizer['requestContext'], 'authorizer'> & {
    authorizer?: Partial<APIGatewayProxyEventV2WithIAMAuthorizer['requestContext']['authorizer']>;
  };
};

export const isPayloadV2 = (event: unknown): event is PayloadV2Event =>
  (event as { version?: unknown } | null)?.version === '2.0';

/**
 * The route's path parameters from a 2.0 event. A function URL serves its route's own path
 * (`https://<url-id>.lambda-url.<region>.on.aws/intents/abc/complete`): `rawPath` is matched against the route's
 * template; an HTTP API that matched the route itself (`routeKey` "POST /intents/{id}/complete") gives them.
 */
function pathParametersOf(event: PayloadV2Event, route: Route): Record<string, string> | null {
  const method = event.requestContext.http.method;
  const takes = `this URL takes ${route.method} ${route.resource}`;
  if (event.routeKey === `${route.method} ${route.resource}`)
    return (event.pathParameters as Record<string, string> | undefined) ?? null;
  const names: string[] = [];
  const pattern = route.resource.replace(/\{(\w+)\}/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  const match = new RegExp(`^${pattern}$`).exec(event.rawPath);
  if (!match) throw new HttpError('not_found', 404, `no route ${method} ${event.rawPath}: ${takes}`);
  if (method !== route.method)
    throw new HttpError('method_not_allowed', 405, `${event.rawPath} does not take ${method}: ${takes}`, {
      allow: route.method,
    });
  if (!names.length) return null;
  try {
    return Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(match[i + 1] ?? '')]));
  } catch {
    throw badRequest('the path is not valid percent-encoding');
  }
}

/**
 * The REST (1.0) shape of a 2.0 event, for the middlewares after this one. 2.0 joins a repeated query parameter
 * with commas; `rawQueryString` still shows it given twice, so the "given more than once" refusal holds.
 * Cookies are ignored (no route reads them).
 */
function toRestShape(event: PayloadV2Event): APIGatewayProxyEvent {
  const { http, requestId, stage, authorizer } = event.requestContext;
  const multi: Record<string, string[]> = {};
  if (event.rawQueryString)
    for (const [k, v] of new URLSearchParams(event.rawQueryString)) multi[k] = [...(multi[k] ?? []), v];
  else for (const [k, v] of Object.entries(event.queryStringParameters ?? {})) multi[k] = [v ?? ''];
  const names = Object.keys(multi);
  return {
    resource: '',
    path: event.rawPath,
    httpMethod: http.method,
    headers: event.headers ?? {},
    multiValueHeaders: {},
    queryStringParameters: names.length ? Object.fromEntries(names.map((k) => [k, multi[k]?.at(-1)])) : null,
    multiValueQueryStringParameters: names.length ? multi : null,
    pathParameters: null,
    stageVariables: null,
    body: event.body ?? null,
    isBase64Encoded: event.isBase64Encoded,
    requestContext: {
      requestId,
      httpMethod: http.method,
      path: event.rawPath,
      stage,
      identity: { sourceIp: http.sourceIp, userArn: authorizer?.iam?.userArn ?? null },
    },
  } as unknown as APIGatewayProxyEvent;
}

/**
 * Lets a route's handler take a function URL's (2.0) event as well as API Gateway REST's (1.0): a 2.0 event is
 * replaced by its REST shape before authentication; a path or method this route does not take answers 404/405.
 * The reply, `{statusCode, headers, body}`, is the same for both.
 */
export function payloadV2(route: Route): HttpMiddleware {
  return {
    before: (request) => {
      const event: unknown = request.event;
      if (!isPayloadV2(event)) return;
      const rest = toRestShape(event);
      request.event = rest;
      rest.resource = route.resource;
      rest.requestContext.resourcePath = route.resource;
      rest.pathParameters = pathParametersOf(event, route);
    },
  };
}
