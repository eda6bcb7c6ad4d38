import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ensureTables } from '../../shared/adapters/dynamodb/bootstrap.ts';
import { loadConfig } from '../../shared/config.ts';
import { buildCorePlane } from '../../shared/core-plane.ts';
import { AwsHarness } from '../../test/aws/harness.ts';
import { meterCapacity } from '../capacity-meter.ts';

/** One intent route, as measured: its handler's bytes and lines of log per invocation, and its handler time. */
export interface RouteObservation {
  readonly logBytes: number;
  readonly logLines: number;
  /** Median time in the handler (ms), what Lambda bills before rounding up. */
  readonly handlerMs: number;
}

/** The intent routes the model prices: register, PATCH, complete (method and resource, handler file). */
export const INTENT_STEPS = [
  { method: 'POST', resource: '/intents', handler: 'intent-register' },
  { method: 'PATCH', resource: '/intents/{id}', handler: 'intent-update' },
  { method: 'POST', resource: '/intents/{id}/complete', handler: 'intent-complete' },
] as const;
export const stepName = (s: { method: string; resource: string }) => `${s.method} ${s.resource}`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

/**
 * Runs `intents` intents (register, 3 PATCHes, complete) through the synthesized bundles in the AWS-rules harness,
 * logging as the template says (`settings` overrides every function's environment: a what-if), and measures what
 * each intent route writes to its log stream and how long its handler takes, after one warm-up intent.
 */
export async function observeRoutes(
  dynamoEndpoint: string,
  intents: number,
  settings: Record<string, string> = {},
): Promise<Record<string, RouteObservation>> {
  const h = await AwsHarness.start(dynamoEndpoint, {}, settings, { asDeployed: true });
  try {
    const expectStatus = async (status: number, call: Promise<{ status: number; body: unknown }>) => {
      const out = await call;
      if (out.status !== status) throw new Error(`expected ${status}, got ${JSON.stringify(out)}`);
    };
    const cycle = async (id: string) => {
      await expectStatus(201, h.api('intent', 'POST', '/intents', { id }));
      for (const phase of ['Locked', 'Relaying', 'Settling'])
        await expectStatus(200, h.api('intent', 'PATCH', `/intents/${id}`, { phase }));
      await expectStatus(200, h.api('intent', 'POST', `/intents/${id}/complete`, { outcome: 'settled' }));
    };
    await expectStatus(200, h.api('admin', 'GET', '/admin/drain/status')); // initialises, as an operator's first call
    await cycle('warm-up');
    await new Promise((r) => setTimeout(r, 200));
    h.lambdas.logged.clear();
    h.lambdas.handlerTimes.length = 0;
    for (let n = 0; n < intents; n++) await cycle(`cost-${n}`);
    await new Promise((r) => setTimeout(r, 300)); // the last lines through the pipes
    const out: Record<string, RouteObservation> = {};
    for (const step of INTENT_STEPS) {
      const fn = h.fn(step.handler).name;
      const calls = intents * (step.method === 'PATCH' ? 3 : 1);
      const logged = h.lambdas.logged.get(fn) ?? { bytes: 0, lines: 0 };
      const times = h.lambdas.handlerTimes.filter((t) => t.fn === fn).map((t) => t.ms);
      out[stepName(step)] = {
        logBytes: logged.bytes / calls,
        logLines: logged.lines / calls,
        handlerMs: median(times),
      };
    }
    return out;
  } finally {
    await h.stop();
  }
}

/** Capacity units per call of each intent route, as DynamoDB bills them (ReturnConsumedCapacity). */
export interface Capacity {
  readonly write: number;
  readonly read: number;
}

/**
 * The fence's own DynamoDB calls, metered: `n` registrations, 3n updates and n completions through the same
 * services the intent functions run, after one warm-up (the cached mode and bake-counting reads are then shared
 * by every call of a warm instance: at most one read per instance every few seconds, left out).
 */
export async function meterRoutes(dynamoEndpoint: string, n: number): Promise<Record<string, Capacity>> {
  const config = loadConfig({
    DYNAMODB_ENDPOINT: dynamoEndpoint,
    TABLE_PREFIX: `cost-${Date.now()}`,
    AUTH_MODE: 'token',
    ADMIN_TOKEN: 'cost-admin',
    INTENT_TOKEN: 'cost-intent',
    VERSION_CACHE_MS: '10000',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  });
  const client = new DynamoDBClient({
    endpoint: dynamoEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await ensureTables(client, config.tables);
  client.destroy();
  const cp = buildCorePlane(config);
  await cp.init();
  await cp.inflight.register({ id: 'warm' });
  await cp.inflight.complete('warm');
  const meter = meterCapacity(cp.db);
  const per = async (calls: number, run: (k: number) => Promise<unknown>): Promise<Capacity> => {
    meter.reset();
    for (let k = 0; k < calls; k++) await run(k);
    return { write: meter.totals.write / calls, read: meter.totals.read / calls };
  };
  const register = await per(n, (k) => cp.inflight.register({ id: `c-${k}` }));
  const update = await per(3 * n, (k) => cp.inflight.update(`c-${k % n}`, { phase: 'Settling' }));
  const complete = await per(n, (k) => cp.inflight.complete(`c-${k}`, 'settled'));
  cp.db.destroy();
  return {
    [stepName(INTENT_STEPS[0])]: register,
    [stepName(INTENT_STEPS[1])]: update,
    [stepName(INTENT_STEPS[2])]: complete,
  };
}
