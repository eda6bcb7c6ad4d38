import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { ROUTES, type Route } from '../lambdas/routes.ts';
import { answerClientError } from './client-error.ts';

type LambdaHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/** Largest request body the adapter reads (API Gateway's own limit is 10 MB; the handlers allow far less). */
const MAX_READ_BYTES = 1024 * 1024;

interface CompiledRoute extends Route {
  readonly pattern: RegExp;
  readonly params: string[];
  readonly fn: LambdaHandler;
}

/** Loads every route's handler module from lambdas/: the very functions AWS runs. */
export async function loadRoutes(): Promise<CompiledRoute[]> {
  return Promise.all(
    ROUTES.map(async (route) => {
      const mod = (await import(`../lambdas/${route.handler}.ts`)) as { handler: LambdaHandler };
      const params: string[] = [];
      const source = route.resource.replace(/\{(\w+)\}/g, (_, name: string) => {
        params.push(name);
        return '([^/]+)';
      });
      return { ...route, pattern: new RegExp(`^${source}$`), params, fn: mod.handler };
    }),
  );
}

const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_READ_BYTES) chunks.push(c);
    });
    req.on('end', () => resolve(size > MAX_READ_BYTES ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Builds an API Gateway REST (v1) proxy event, as API Gateway would hand it to the Lambda. */
function toEvent(req: IncomingMessage, url: URL, route: CompiledRoute, match: RegExpExecArray, body: string) {
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
      identity: { sourceIp: req.socket.remoteAddress ?? '127.0.0.1', userArn: null },
    },
  } as unknown as APIGatewayProxyEvent;
}

const lambdaContext = (name: string, requestId: string): Context =>
  ({
    functionName: name,
    awsRequestId: requestId,
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => 30_000,
  }) as unknown as Context;

/** Serves the routes over node:http, turning each request into a proxy event for its handler. */
export async function startApiGateway(host: string, port: number): Promise<Server> {
  const routes = await loadRoutes();
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://local');
      const onPath = routes.filter((r) => r.pattern.test(url.pathname));
      if (onPath.length === 0) {
        const message = `no route ${req.method} ${url.pathname}: the API's paths are listed in the README`;
        return send(res, 404, { error: 'not_found', message });
      }
      const route = onPath.find((r) => r.method === req.method);
      if (!route) {
        const allow = onPath.map((r) => r.method).join(', ');
        return send(
          res,
          405,
          { error: 'method_not_allowed', message: `${url.pathname} takes ${allow}` },
          { allow },
        );
      }
      const body = await readBody(req);
      if (body === null)
        return send(res, 413, { error: 'payload_too_large', message: 'the body is too large' });
      const match = route.pattern.exec(url.pathname) as RegExpExecArray;
      const event = toEvent(req, url, route, match, body);
      const out = await route.fn(event, lambdaContext(route.handler, event.requestContext.requestId));
      res.writeHead(out.statusCode, out.headers as Record<string, string>);
      res.end(out.body);
    } catch (err) {
      const bad = err instanceof URIError;
      send(res, bad ? 400 : 500, {
        error: bad ? 'invalid_request' : 'internal',
        message: bad ? 'the path is not valid percent-encoding' : 'the local API adapter failed; see its log',
      });
      if (!bad) console.error(err);
    }
  });
  server.on('clientError', answerClientError);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}
