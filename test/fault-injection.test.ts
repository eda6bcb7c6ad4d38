import { afterAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support/api.ts';
import { healthEndpoint, intentItems, runUpgrade } from './support/upgrade.ts';

/**
 * For every Task of the state machine: one injected failure (thrown as Lambda.ServiceException before the handler
 * runs, as a throttled or failed invocation would be) is retried, and the end state equals that of a run without
 * the fault. Each scenario drives the workflow through a different path so that every Task runs.
 */
interface Scenario {
  readonly name: string;
  readonly tasks: readonly string[];
  /** How the path ends, faults or not. */
  readonly outcome: string;
  /** Faults every run of the scenario gets (to reach a path), before the one under test is added. */
  readonly baseFaults?: Record<string, number>;
  prepare(api: TestApi): Promise<Record<string, unknown>>;
}

let failing: Awaited<ReturnType<typeof healthEndpoint>> | undefined;
const failingUrl = async () => {
  failing ??= await healthEndpoint((_req, res) => {
    res.writeHead(500).end();
  });
  return failing.url;
};

/** An intent inflight, forced through the drain, and a post-check that fails: the rollback path. */
async function failingPostCheck(api: TestApi, intentId: string): Promise<Record<string, unknown>> {
  await api.intent('POST', '/intents', { id: intentId, protocol_version: '1.0.0' });
  return {
    target_version: '2.0.0',
    reason: 'faults',
    drain_timeout_secs: 1,
    force_after_timeout: true,
    post_checks: [{ name: 'svc', type: 'http', url: await failingUrl() }],
  };
}

const SCENARIOS: Scenario[] = [
  {
    name: 'forced upgrade with timeout extension',
    outcome: 'succeeded',
    tasks: [
      'Run pre-checks',
      'Start drain',
      'Check drain progress',
      'Force drain',
      'Extend timeouts of remaining work',
      'Checkpoint inflight state to S3',
      'Mark upgrading',
      'Migrate stored records',
      'Run post-checks',
      'Resume on target version',
      'Smoke test after resume',
      'Verify every replica before success',
      'Record upgrade in history',
    ],
    async prepare(api) {
      await api.intent('POST', '/intents', { id: 'slow-1', protocol_version: '1.0.0' });
      return {
        target_version: '2.0.0',
        reason: 'faults',
        drain_timeout_secs: 1,
        force_after_timeout: true,
        extend_timeout_secs: 600,
      };
    },
  },
  {
    name: 'rollback after a failed post-check',
    outcome: 'rolled_back',
    tasks: ['Roll back changed components', 'Roll back to checkpoint', 'Resume on previous version'],
    prepare: (api) => failingPostCheck(api, 'rb-1'),
  },
  {
    name: 'refused by a pre-check',
    outcome: 'failed',
    tasks: ['Record upgrade refused before drain'],
    async prepare() {
      return {
        target_version: '2.0.0',
        reason: 'faults',
        pre_checks: [{ name: 'svc', type: 'http', url: await failingUrl() }],
      };
    },
  },
  {
    name: 'dry run',
    outcome: 'dry_run',
    tasks: ['Plan the migration (dry run)'],
    async prepare() {
      return { target_version: '2.0.0', reason: 'faults', dry_run: true };
    },
  },
  {
    name: 'drain timeout',
    outcome: 'failed',
    tasks: ['Cancel drain and resume old version'],
    async prepare(api) {
      await api.intent('POST', '/intents', { id: 'locked-1', user_funds_locked: true });
      return { target_version: '2.0.0', reason: 'faults', drain_timeout_secs: 1 };
    },
  },
  {
    name: 'rollback that keeps failing (every attempt, every retry)',
    outcome: 'needs_operator',
    tasks: ['Record failure needing an operator'],
    baseFaults: { 'Roll back changed components': 12 },
    prepare: (api) => failingPostCheck(api, 'nr-1'),
  },
];

/** The end state that must not depend on a transient fault: the mode, the records, the outcome. */
async function endState(api: TestApi, body: Record<string, unknown>) {
  const run = await runUpgrade(api, body);
  const events = await api.engine.history(run.execution.executionArn);
  const retried = new Set(events.filter((e) => e.type === 'StateRetried').map((e) => e.state));
  const mode = await api.cp.fence.readMode();
  // Which upgrade froze a record differs between runs; whether it is still frozen must not.
  const records = (await intentItems()).map(
    ({ created_at: _c, updated_at: _u, timeout_extended_until: _t, migrated_by: _m, frozen_by, ...r }) => ({
      ...r,
      frozen: frozen_by !== undefined,
    }),
  );
  return {
    state: {
      execution: { status: run.execution.status, error: run.execution.error },
      outcome: run.upgrade.state,
      mode: { mode: mode.mode, version: mode.version },
      records,
    },
    retried,
  };
}

let api: TestApi | undefined;
afterAll(async () => {
  await api?.stop();
  await failing?.close();
});

describe('fault injection: one failure in each Task is retried, and the end state is unchanged', () => {
  for (const scenario of SCENARIOS) {
    it(`${scenario.name}: ${scenario.tasks.join(', ')}`, async () => {
      const base = scenario.baseFaults ?? {};
      await api?.stop();
      api = await startTestApi({}, { retryIntervalMs: 5, faults: base });
      const baseline = await endState(api, await scenario.prepare(api));
      expect(baseline.state.outcome).toBe(scenario.outcome);
      for (const task of scenario.tasks) {
        const faults = { ...base, [task]: (base[task] ?? 0) + 1 };
        await api.stop();
        api = await startTestApi({}, { retryIntervalMs: 5, faults });
        const faulted = await endState(api, await scenario.prepare(api));
        expect(faulted.retried.has(task), `${task} was not retried`).toBe(true);
        expect({ task, ...faulted.state }).toEqual({ task, ...baseline.state });
      }
    }, 240_000);
  }
});
