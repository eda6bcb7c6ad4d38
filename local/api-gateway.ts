import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Bindable, Environment } from '../lambdas/compose/environment.ts';
import { ROUTES } from '../lambdas/routes.ts';
import { answerClientError } from './client-error.ts';
import { isConsolePath, serveConsole } from './console/serve-console.ts';
import { toFunctionUrlEvent } from './function-url-event.ts';
import { type CompiledRoute, type LambdaHandler, lambdaContext, toEvent } from './proxy-event.ts';

/** Largest request body the adapter reads (API Gateway's own limit is 10 MB; the handlers allow far less). */
const MAX_READ_BYTES = 1024 * 1024;

/** Loads every route's handler module from lambdas/ (the very functions AWS runs), bound to `env`. */
export async function loadRoutes(env: Environment): Promise<CompiledRoute[]> {
  return Promise.all(
    ROUTES.map(async (route) => {
      const mod = (await import(`../lambdas/${route.handler}.ts`)) as { handler: Bindable<LambdaHandler> };
      const params: string[] = [];
      const source = route.resource.replace(/\{(\w+)\}/g, (_, name: string) => {
        params.push(name);
        return '([^/]+)';
      });
      return { ...route, pattern: new RegExp(`^${source}$`), params, fn: mod.handler.withEnvironment(env) };
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

/**
 * What a listener plays: API Gateway's REST API (payload 1.0, every route), or the intent functions' Lambda
 * function URLs (payload 2.0): one port standing for the three URLs, each request going to the function whose
 * route has its path; the function itself answers a method its route does not take (405).
 */
export interface GatewayOptions {
  readonly payload?: '1.0' | '2.0';
}

/**
 * Serves the routes over node:http, turning each request into a proxy event for its handler; `/console` and its
 * assets (the local console page) are answered before any route is matched. Handlers run in `env`.
 */
export async function startApiGateway(
  env: Environment,
  host: string,
  port: number,
  opts: GatewayOptions = {},
): Promise<ApiGateway> {
  const urls = opts.payload === '2.0';
  const routes = (await loadRoutes(env)).filter((r) => !urls || r.access === 'intent');
  let closing = false;
  let active = 0;
  const idle: (() => void)[] = [];
  const server = createServer(async (req, res) => {
    if (closing) return refuseWhileClosing(req, res);
    active++;
    res.once('close', () => {
      if (--active === 0) for (const done of idle.splice(0)) done();
    });
    try {
      const url = new URL(req.url ?? '/', 'http://local');
      if (!urls && isConsolePath(url.pathname))
        return await serveConsole(req, res, url, routes, env.config.auth);
      const onPath = routes.filter((r) => r.pattern.test(url.pathname));
      if (onPath.length === 0) {
        const message = urls
          ? `no function URL serves ${url.pathname}: ${routes.map((r) => `${r.method} ${r.resource}`).join(', ')}`
          : `no route ${req.method} ${url.pathname}: the API's paths are listed in the README`;
        return send(res, 404, { error: 'not_found', message });
      }
      const route = urls ? onPath[0] : onPath.find((r) => r.method === req.method);
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
      const source = { headers: req.headers, sourceIp: req.socket.remoteAddress ?? '127.0.0.1' };
      const event = urls
        ? toFunctionUrlEvent({ ...source, method: req.method ?? 'GET' }, url, body, route.handler)
        : toEvent(source, url, route, match, body);
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
  return Object.assign(server, {
    async quiesce(graceMs: number) {
      closing = true;
      if (active === 0) return;
      await new Promise<void>((r) => {
        idle.push(r);
        setTimeout(r, graceMs).unref();
      });
    },
  });
}

/** The local API: an HTTP server that can stop taking requests before the engines behind it stop. */
export type ApiGateway = Server & {
  /** From now on every request answers 503 shutting_down; resolves when the requests under way have answered (or after `graceMs`). */
  quiesce(graceMs: number): Promise<void>;
};

/** A request that arrives while the stack shuts down: 503 with Retry-After, and the connection closed. */
function refuseWhileClosing(req: IncomingMessage, res: ServerResponse): void {
  req.resume();
  send(
    res,
    503,
    {
      error: 'shutting_down',
      message: 'the control plane is shutting down; retry in a few seconds (against the restarted stack)',
      retry_after_secs: 5,
    },
    { 'retry-after': '5', connection: 'close' },
  );
}
