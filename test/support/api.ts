import { request, type Server } from 'node:http';
import { adminServices } from '../../lambdas/compose/admin-services.ts';
import { type Environment, environmentOf, type PortOverrides } from '../../lambdas/compose/environment.ts';
import { startApiGateway } from '../../local/api-gateway.ts';
import { LocalScheduleStore } from '../../local/workflow/local-schedule-store.ts';
import { type LocalEngineOptions, LocalWorkflowEngine } from '../../local/workflow/local-workflow-engine.ts';
import { loadConfig } from '../../shared/config.ts';
import type { ControlPlane } from '../../shared/control-plane.ts';
import { fileAlarmSource } from '../../shared/upgrade/bake/alarm-source.ts';
import type { WorkflowEngine } from '../../shared/upgrade/workflow-engine.ts';
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
  /** The test's composition root: its configuration and ports, which the handlers and Tasks run in. */
  readonly env: Environment;
  /**
   * The workflow engine the handlers use from now on (a restarted process's, a tampering one), and its schedule
   * store; `useEngine(api.engine)` goes back to the test's own.
   */
  useEngine(engine: WorkflowEngine, schedules?: LocalScheduleStore): void;
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

let latest: Environment | null = null;

/** The environment of the test API started last (for helpers that read its tables). */
export function latestEnvironment(): Environment {
  if (!latest) throw new Error('no test API started yet');
  return latest;
}

/**
 * The real handlers behind the local API Gateway adapter, over fresh tables on the run's DynamoDB Local: the
 * settings are `extra` over fresh ones, passed as the configuration (the process's environment is left alone);
 * `overrides` replaces ports (a chain).
 */
export async function startTestApi(
  extra: Record<string, string> = {},
  engineOptions: LocalEngineOptions = { retryIntervalMs: 20 },
  opts: { initialise?: boolean; overrides?: PortOverrides } = {},
): Promise<TestApi> {
  const vars = freshEnv(extra);
  const config = loadConfig({ ...process.env, ...vars });
  let current: { engine: WorkflowEngine; schedules: LocalScheduleStore } | null = null;
  const running = () => {
    if (!current) throw new Error('the test engine is not running yet');
    return current;
  };
  const env = environmentOf(config, {
    workflowEngine: () => running().engine,
    scheduleStore: () => running().schedules,
    ...(vars.LOCAL_ALARMS_FILE ? { alarms: fileAlarmSource(vars.LOCAL_ALARMS_FILE) } : {}),
    ...opts.overrides,
  });
  latest = env;
  const { cp } = adminServices(env);
  await createTables(config);
  if (opts.initialise !== false) await cp.init();
  const engine = await LocalWorkflowEngine.create({ ...engineOptions, environment: env });
  const useEngine = (e: WorkflowEngine, schedules = new LocalScheduleStore(() => e)) => {
    current = { engine: e, schedules };
  };
  useEngine(engine);
  const server: Server = await startApiGateway(env, '127.0.0.1', 0);
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
    adminToken: vars.ADMIN_TOKEN as string,
    intentToken: vars.INTENT_TOKEN as string,
    engine,
    env,
    useEngine,
    admin: withToken(vars.ADMIN_TOKEN as string),
    intent: withToken(vars.INTENT_TOKEN as string),
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
