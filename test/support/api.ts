import { request, type Server } from 'node:http';
import { resetRuntime, runtime, useLocalWorkflowEngine } from '../../lambdas/http/runtime.ts';
import { startApiGateway } from '../../local/api-gateway.ts';
import { LocalScheduleStore } from '../../local/workflow/local-schedule-store.ts';
import { type LocalEngineOptions, LocalWorkflowEngine } from '../../local/workflow/local-workflow-engine.ts';
import type { ControlPlane } from '../../shared/control-plane.ts';
import { createTables, freshEnv } from './control-plane.ts';

export interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Record<string, unknown>;
  readonly text: string;
}

export interface TestApi {
  readonly url: string;
  readonly cp: ControlPlane;
  readonly adminToken: string;
  readonly intentToken: string;
  readonly engine: LocalWorkflowEngine;
  /** A request with the admin token. */
  admin(method: string, path: string, body?: unknown): Promise<Reply>;
  /** A request with the intent token. */
  intent(method: string, path: string, body?: unknown): Promise<Reply>;
  raw(
    method: string,
    path: string,
    init?: { headers?: Record<string, string>; body?: string },
  ): Promise<Reply>;
  stop(): Promise<void>;
}

/** The real handlers behind the local API Gateway adapter, over fresh tables on the run's DynamoDB Local. */
export async function startTestApi(
  extra: Record<string, string> = {},
  engineOptions: LocalEngineOptions = { retryIntervalMs: 20 },
  opts: { initialise?: boolean } = {},
): Promise<TestApi> {
  const env = freshEnv(extra);
  Object.assign(process.env, env);
  resetRuntime();
  const { config, cp } = runtime();
  await createTables(config);
  if (opts.initialise !== false) await cp.init();
  const engine = await LocalWorkflowEngine.create(engineOptions);
  useLocalWorkflowEngine(engine, new LocalScheduleStore(() => engine));
  const server: Server = await startApiGateway('127.0.0.1', 0);
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const raw = async (
    method: string,
    path: string,
    init: { headers?: Record<string, string>; body?: string } = {},
  ) => {
    const res = await send(`${url}${path}`, method, init.headers ?? {}, init.body);
    const text = res.text;
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      body = {};
    }
    return { status: res.status, headers: res.headers, body, text };
  };
  const withToken = (token: string) => (method: string, path: string, body?: unknown) =>
    raw(method, path, {
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  return {
    url,
    cp,
    adminToken: env.ADMIN_TOKEN as string,
    intentToken: env.INTENT_TOKEN as string,
    engine,
    admin: withToken(env.ADMIN_TOKEN as string),
    intent: withToken(env.INTENT_TOKEN as string),
    raw,
    stop: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

/** node:http rather than fetch, so a test can send what fetch refuses (a body on GET, odd paths). */
function send(
  url: string,
  method: string,
  headers: Record<string, string>,
  body: string | undefined,
): Promise<{ status: number; headers: Headers; text: string }> {
  return new Promise((resolve, reject) => {
    const withLength =
      body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) };
    const req = request(url, { method, headers: withLength }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') h.set(k, v);
        resolve({ status: res.statusCode ?? 0, headers: h, text: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}
