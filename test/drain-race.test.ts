import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support/api.ts';
import { healthEndpoint } from './support/upgrade.ts';

/**
 * A property test: manual drain calls at random moments of random upgrades (plain, manual deploy, maintenance,
 * bake, failing post-checks that roll back), with a producer registering and completing intents throughout.
 * After each case:
 *   1. no intent was admitted while the upgrade was past its drain and before its resume;
 *   2. the upgrade ended (the test's operator ends a wait still open after the random calls: continue or abort);
 *   3. the mode and the version agree with the upgrade's outcome;
 * and no call was answered 5xx. The schedule of each case (kind, target, calls, delays) comes from its seed, so a
 * failing seed replays the same schedule (timings on a shared machine still vary). DRAIN_RACE_SEED picks another
 * base seed. Wait states are shortened to WAIT_MS (the local interpreter's `waitMs`) so 200 cases fit a test run.
 */
const CASES = Number(process.env.DRAIN_RACE_CASES ?? 200);
const LANES = 4;
const WAIT_MS = 30;
const BASE_SEED = Number(process.env.DRAIN_RACE_SEED ?? 22_2026);

/** mulberry32: a small seeded PRNG. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T };
}

type Kind = 'plain' | 'manual' | 'maintenance' | 'bake' | 'failing';
const KINDS: readonly Kind[] = ['plain', 'manual', 'maintenance', 'bake', 'failing'];
const CALLS = ['start', 'cancel', 'force', 'force_ack', 'resume', 'resume_target', 'resume_other'] as const;

interface Plan {
  readonly seed: number;
  readonly kind: Kind;
  readonly target: string;
  readonly calls: readonly { at: number; call: (typeof CALLS)[number] }[];
  readonly finish: 'continue' | 'abort';
}

function planOf(seed: number): Plan {
  const r = prng(seed);
  const kind = r.pick(KINDS);
  const calls = Array.from({ length: 1 + Math.floor(r.next() * 4) }, () => ({
    at: Math.floor(r.next() * 1200),
    call: r.pick(CALLS),
  })).sort((a, b) => a.at - b.at);
  return {
    seed,
    kind,
    target: r.pick(['1.1.0', '2.0.0', '1.0.1']),
    calls,
    finish: r.pick(['continue', 'abort']),
  };
}

function requestOf(plan: Plan, failingUrl: string): Record<string, unknown> {
  const base = { reason: `race ${plan.seed}`, drain_timeout_secs: 30, rollback_retry_delay_secs: 0 };
  switch (plan.kind) {
    case 'maintenance':
      return { ...base, deploy: { mode: 'manual', deploy_timeout_secs: 120 } };
    case 'manual':
      return { ...base, target_version: plan.target, deploy: { mode: 'manual', deploy_timeout_secs: 120 } };
    case 'bake':
      return {
        ...base,
        target_version: plan.target,
        bake: {
          duration_secs: 1,
          check_interval_secs: 1,
          triggers: [{ type: 'stuck_inflight', max_age_secs: 3600 }],
        },
      };
    case 'failing':
      return {
        ...base,
        target_version: plan.target,
        post_checks: [{ name: 'backend', type: 'http', url: failingUrl }],
      };
    default:
      return { ...base, target_version: plan.target };
  }
}

const CALL_REQUEST: Record<(typeof CALLS)[number], (p: Plan) => [string, Record<string, unknown>]> = {
  start: () => ['/admin/drain/start', { reason: 'operator racing the upgrade' }],
  cancel: () => ['/admin/drain/cancel', {}],
  force: () => ['/admin/drain/force', {}],
  force_ack: () => ['/admin/drain/force', { acknowledge_locked_funds: true }],
  resume: () => ['/admin/drain/resume', {}],
  resume_target: (p) => ['/admin/drain/resume', { version: p.target }],
  resume_other: () => ['/admin/drain/resume', { version: '9.9.9' }],
};

interface Admission {
  readonly sentAt: number;
  readonly receivedAt: number;
  readonly status: number;
}

/** Registers an intent every 50 ms and completes each after a short while, until stopped. */
function producer(api: TestApi, tag: string) {
  const admissions: Admission[] = [];
  const pending = new Set<Promise<void>>();
  let stop = false;
  let n = 0;
  const complete = async (id: string) => {
    for (let i = 0; i < 200; i++) {
      await new Promise((r) => setTimeout(r, 20 + Math.random() * 100));
      const res = await api.intent('POST', `/intents/${id}/complete`, {});
      if (res.status === 200 || res.status === 404) return;
    }
  };
  const loop = (async () => {
    while (!stop) {
      const id = `${tag}-${n++}`;
      const sentAt = Date.now();
      const res = await api.intent('POST', '/intents', { id });
      admissions.push({ sentAt, receivedAt: Date.now(), status: res.status });
      if (res.status === 201) {
        const p = complete(id).finally(() => pending.delete(p));
        pending.add(p);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  return {
    admissions,
    async stop() {
      stop = true;
      await loop;
      await Promise.all(pending);
    },
  };
}

interface Outcome {
  readonly seed: number;
  readonly problems: string[];
  readonly direct: boolean;
}

/** Back to Active on 1.0.0 with nothing inflight, for the next case (an operator's own drain and resume). */
async function reset(api: TestApi): Promise<void> {
  const mode = (await api.admin('GET', '/admin/drain/status')).body;
  if (mode.mode === 'Active' && mode.version === '1.0.0') return;
  if (mode.mode === 'Active') await api.admin('POST', '/admin/drain/start', { reason: 'reset' });
  for (let i = 0; i < 100 && (await api.admin('GET', '/admin/drain/status')).body.mode === 'Draining'; i++)
    await new Promise((r) => setTimeout(r, 50));
  const res = await api.admin('POST', '/admin/drain/resume', { version: '1.0.0' });
  if (res.status !== 200) throw new Error(`reset: ${res.status} ${res.text}`);
}

async function runCase(api: TestApi, plan: Plan, failingUrl: string): Promise<Outcome> {
  const problems: string[] = [];
  await reset(api);
  const load = producer(api, `s${plan.seed}`);
  await new Promise((r) => setTimeout(r, 60));
  const started = await api.admin('POST', '/admin/upgrade/start', requestOf(plan, failingUrl));
  if (started.status !== 202) {
    await load.stop();
    return { seed: plan.seed, problems: [`start answered ${started.status} ${started.text}`], direct: false };
  }
  const { upgrade_id: id, execution_arn: arn } = started.body as {
    upgrade_id: string;
    execution_arn: string;
  };
  const t0 = Date.now();
  let direct = false;
  await Promise.all(
    plan.calls.map(async ({ at, call }) => {
      await new Promise((r) => setTimeout(r, at));
      const [path, body] = CALL_REQUEST[call](plan);
      const res = await api.admin('POST', path, body);
      if (res.status >= 500)
        problems.push(`${call} at ${Date.now() - t0} ms answered ${res.status} ${res.text}`);
      if (res.status === 200) direct = true; // the upgrade had ended: the drain service acted on its own
    }),
  );
  // The operator ends a wait the random calls left open.
  const until = Date.now() + 60_000;
  while ((await api.engine.describe(arn)).status === 'RUNNING' && Date.now() < until) {
    const s = (await api.admin('GET', '/admin/upgrade/status')).body;
    if (s.upgrade_id === id && String(s.current_step).startsWith('Waiting for'))
      await api.admin(
        'POST',
        plan.finish === 'abort' ? '/admin/upgrade/abort' : `/admin/upgrade/${id}/continue`,
        {},
      );
    await new Promise((r) => setTimeout(r, 50));
  }
  await load.stop();
  const record = (await api.admin('GET', `/admin/upgrades/${id}`)).body.upgrade as Record<string, unknown>;
  if (record.state === 'running') problems.push(`did not end: step ${String(record.current_step)}`);

  // 1. Nothing admitted between the end of its drain and its resume.
  const events = await api.engine.history(arn);
  const at = (names: readonly string[]) =>
    events.find((e) => e.type === 'StateEntered' && names.includes(e.state ?? ''))?.timestamp;
  const drained = at(['Extend timeouts?']);
  const reopened = at([
    'Resume on target version',
    'Resume on previous version',
    'Cancel drain and resume old version',
  ]);
  if (drained) {
    const from = Date.parse(drained);
    const to = reopened ? Date.parse(reopened) : Number.POSITIVE_INFINITY;
    const bad = load.admissions.filter((a) => a.status === 201 && a.sentAt > from && a.receivedAt < to);
    if (bad.length) problems.push(`${bad.length} intents admitted after the drain and before the resume`);
  }
  const errors = load.admissions.filter((a) => a.status >= 500 && a.status !== 503);
  if (errors.length) problems.push(`registrations answered ${errors.map((e) => e.status).join(', ')}`);

  // 3. Mode and version agree with the outcome (unless a drain call acted on its own after the end).
  if (!direct) {
    const mode = (await api.admin('GET', '/admin/drain/status')).body;
    const want =
      record.state === 'succeeded'
        ? { mode: 'Active', version: record.to_version }
        : record.state === 'needs_operator'
          ? null
          : { mode: 'Active', version: record.from_version };
    if (want && (mode.mode !== want.mode || mode.version !== want.version))
      problems.push(
        `ended ${String(record.state)} but the mode is ${String(mode.mode)} on ${String(mode.version)}`,
      );
    if (!want && mode.mode === 'Active') problems.push('needs_operator but admitting');
  }
  return { seed: plan.seed, problems, direct };
}

const lanes: TestApi[] = [];
let failing: Awaited<ReturnType<typeof healthEndpoint>>;
beforeAll(async () => {
  failing = await healthEndpoint((_req, res) => {
    res.writeHead(503, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'Unhealthy' }));
  });
  for (let i = 0; i < LANES; i++)
    lanes.push(await startTestApi({}, { retryIntervalMs: 20, waitMs: WAIT_MS }));
});
afterAll(async () => {
  for (const api of lanes) {
    api.engine.stopAll();
    await api.stop();
  }
  await failing.close();
});

describe('manual drain calls racing the workflow (property, seeded)', () => {
  it(`${CASES} random upgrades with random drain calls: nothing admitted mid-upgrade, every upgrade ends, mode agrees`, async () => {
    const plans = Array.from({ length: CASES }, (_, i) => planOf(BASE_SEED + i));
    const outcomes = await Promise.all(
      lanes.map(async (api, lane) => {
        const mine: Outcome[] = [];
        for (const plan of plans.filter((_, i) => i % LANES === lane))
          mine.push(await runCase(api, plan, failing.url));
        return mine;
      }),
    );
    const all = outcomes.flat();
    const failed = all.filter((o) => o.problems.length > 0);
    expect(
      failed.map((o) => `seed ${o.seed} (${planOf(o.seed).kind}): ${o.problems.join('; ')}`),
      'replay one with DRAIN_RACE_SEED=<seed>',
    ).toEqual([]);
    expect(all).toHaveLength(CASES);
    // The mode check is skipped only where a call landed after the upgrade ended; most cases must be checked.
    expect(all.filter((o) => o.direct).length).toBeLessThan(CASES / 3);
  }, 900_000);
});
