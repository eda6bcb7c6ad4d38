import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { startSampleBackend } from '../../local/sample-backend.ts';
import { failingPostCheckUpgrade, healthEndpoint } from '../support/upgrade.ts';
import { AwsHarness } from './harness.ts';

/**
 * The synthesized app under AWS's rules (see harness.ts): the bundles, their template policies, the template's
 * state machine. Scenarios run in order on one system (warm functions, as on AWS); each leaves it Active.
 */
let aws: AwsHarness;
let mark = 0;
beforeAll(async () => {
  aws = await AwsHarness.start(inject('dynamoEndpoint'));
}, 180_000);
afterAll(async () => {
  if (aws?.iam.denials.length)
    console.log(
      `AWS would refuse:\n${[...new Set(aws.iam.denials.map((d) => `  ${d.principal.split('/').at(-1)}: ${d.action} on ${d.resource}`))].join('\n')}`,
    );
  await aws?.stop();
});

/** Each scenario starts Active with nothing inflight and no denials, whatever the one before left. */
beforeEach(async () => {
  if (!aws) return;
  await aws.clearIntents();
  const mode = (await admin('GET', '/admin/drain/status')).body.mode;
  if (mode === 'Draining' || mode === 'Drained') await admin('POST', '/admin/drain/cancel');
  mark = aws.iam.denials.length;
});

const admin = (method: string, path: string, body?: unknown) => aws.api('admin', method, path, body);
const intent = (method: string, path: string, body?: unknown) => aws.api('intent', method, path, body);
const drain = async () => (await admin('GET', '/admin/drain/status')).body;
const upgradeStatus = async () => (await admin('GET', '/admin/upgrade/status')).body;

async function eventually(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Upgrade settings that keep a scenario short; every upgrade here may follow the previous one at once. */
const quick = {
  poll_interval_secs: 1,
  rollback_retry_delay_secs: 0,
  override_min_interval_reason: 'harness',
};

/** Starts an upgrade through the API, runs `during`, and waits for the execution and its record. */
async function upgrade(body: Record<string, unknown>, during?: (id: string) => Promise<void>) {
  const started = await admin('POST', '/admin/upgrade/start', { ...quick, ...body });
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  await during?.(started.body.upgrade_id as string);
  const execution = await aws.workflow.finished(started.body.execution_arn as string);
  const detail = (await admin('GET', `/admin/upgrades/${started.body.upgrade_id as string}`)).body;
  return { execution, upgrade: detail.upgrade as Record<string, unknown> };
}

/** A rolling release of the sample backend's replicas: what the rolling scenarios ask for, canary or not. */
const rollingRelease = (targets: unknown[], target: string, reason: string) => ({
  target_version: target,
  reason,
  strategy: 'rolling',
  services: [
    {
      name: 'backend',
      deploy: {
        mode: 'hooks',
        targets,
        replica_timeout_secs: 5,
        request_timeout_secs: 2,
        retries: 0,
        replica_drain_timeout_secs: 30,
      },
    },
  ],
});

/** No AWS call any function made was refused by its template policy. */
const noDenials = () => {
  const denied = aws.iam.denials
    .slice(mark)
    .map((d) => `${d.principal.split('/').at(-1)}: ${d.action} on ${d.resource}`);
  if (process.env.HARNESS_IAM !== 'report') expect([...new Set(denied)]).toEqual([]);
};

describe('the synthesized app under AWS rules (bundles, template IAM, template state machine)', () => {
  it('an operator initialises the control plane; GET /health answers unsigned', async () => {
    expect((await admin('GET', '/admin/drain/status')).status).toBe(200);
    const health = await aws.api('public', 'GET', '/health');
    expect(health.status, JSON.stringify(health.body)).toBe(200);
    expect(health.body).toMatchObject({ status: 'Healthy', mode: 'Active' });
    noDenials();
  });

  it('intents register, update and complete until Drained, each route under its own policy', async () => {
    for (const id of ['a-1', 'a-2'])
      expect((await intent('POST', '/intents', { id, user_funds_locked: id === 'a-1' })).status).toBe(201);
    // An intent with IBC packets, and one in recovery: the IBC and recovery routes read them under their own roles.
    const packet = {
      source_port: 'transfer',
      source_channel: 'channel-0',
      sequence: 1,
      timeout_timestamp: '9999999999000000000',
    };
    expect(
      (await intent('POST', '/intents', { id: 'a-ibc', phase: 'Recovering', ibc_packets: [packet] })).status,
    ).toBe(201);
    expect((await admin('GET', '/admin/ibc/pending?channel=channel-0')).body).toMatchObject({
      packets: [{ intent_id: 'a-ibc', sequence: 1 }],
    });
    expect((await admin('GET', '/admin/recovery/status')).body).toMatchObject({
      intents: { items: [{ id: 'a-ibc', phase: 'Recovering' }] },
      upgrade: null,
    });
    expect((await intent('POST', '/intents/a-ibc/complete')).status).toBe(200);
    expect((await admin('POST', '/admin/drain/start', { reason: 'harness drain' })).status).toBe(200);
    const refused = await intent('POST', '/intents', { id: 'a-3' });
    expect(refused.status).toBe(503);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    const updated = await intent('PATCH', '/intents/a-1', { phase: 'Settling', user_funds_locked: false });
    expect(updated.status, JSON.stringify(updated.body)).toBe(200);
    for (const id of ['a-1', 'a-2']) {
      const done = await intent('POST', `/intents/${id}/complete`);
      expect(done.status, JSON.stringify(done.body)).toBe(200);
      expect(done.body).toMatchObject({ id, completed: true });
    }
    expect(await drain()).toMatchObject({ mode: 'Drained', inflight_count: 0 });
    expect((await admin('GET', '/admin/inflight')).status).toBe(200);
    expect((await admin('POST', '/admin/drain/resume', {})).status).toBe(200);
    await eventually(async () => (await drain()).mode === 'Active');
    noDenials();
  });

  it('an upgrade succeeds: every Task bundle under its role, history and checkpoints readable', async () => {
    const run = await upgrade({ target_version: '1.1.0', reason: 'harness upgrade' });
    expect(run.execution, JSON.stringify(run.execution)).toMatchObject({ status: 'SUCCEEDED' });
    expect(run.upgrade).toMatchObject({ state: 'succeeded', from_version: '1.0.0', to_version: '1.1.0' });
    expect(await drain()).toMatchObject({ mode: 'Active', version: '1.1.0' });
    expect((await admin('GET', '/admin/upgrades')).status).toBe(200);
    const checkpoints = await admin('GET', '/admin/checkpoints');
    expect(checkpoints.status).toBe(200);
    const id = run.upgrade.checkpoint_id as string;
    expect((await admin('GET', `/admin/checkpoints/${id}?validate=true`)).body).toMatchObject({
      validation: { valid: true },
    });
    noDenials();
  });

  it('a protocol rollout changes phase on its per-minute tick (invoked as the rule would), refuses the old version with 426, rolls back; no 503, no denial', async () => {
    const from = (await drain()).version; // 1.1.0, from the upgrade above: the migrations reach 2.0.0 from it
    expect((await intent('POST', '/intents', { id: 'before-rollout' })).status).toBe(201);
    const started = await admin('POST', '/admin/protocol/rollouts', {
      from,
      to: '2.0.0',
      parallel_secs: 1,
      deprecation_secs: 3600,
      reason: 'Procedure 3 on AWS',
    });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    const id = String(started.body.id);
    const tickUntil = (phase: string) =>
      eventually(async () => {
        const tick = await aws.invoke(aws.fn('ProtocolRolloutTick'), {});
        expect(tick.ok, JSON.stringify(tick)).toBe(true);
        // Admission never closes: a registration with no version is admitted in every phase.
        expect((await intent('POST', '/intents', { id: `during-${Date.now()}` })).status).toBe(201);
        return (await admin('GET', `/admin/protocol/rollouts/${id}`)).body.phase === phase;
      }, 90_000);
    await tickUntil('deprecation');
    await eventually(
      async () =>
        (await intent('POST', '/intents', { id: `old-${Date.now()}`, protocol_version: from })).status ===
        426,
      30_000,
    );
    expect((await drain()).version).toBe('2.0.0');
    const back = await admin('POST', `/admin/protocol/rollouts/${id}/rollback`, { reason: 'harness' });
    expect(back.status, JSON.stringify(back.body)).toBe(200);
    await tickUntil('rolled_back');
    expect((await drain()).version).toBe(from);
    const notices = aws.sns.published.filter((m) => m.attributes.rollout_id === id);
    expect(notices.map((m) => m.subject).join('\n')).toMatch(
      /entered migration[\s\S]*entered deprecation[\s\S]*rollback[\s\S]*entered rolled_back/,
    );
    noDenials();
  }, 180_000);

  it('a failed post-check rolls back to the checkpoint and resumes the old version', async () => {
    const failing = await healthEndpoint((_req, res) => {
      res.writeHead(500).end('{"status":"Unhealthy"}');
    });
    const from = (await drain()).version;
    expect((await intent('POST', '/intents', { id: 'r-1', protocol_version: from })).status).toBe(201);
    const run = await upgrade(failingPostCheckUpgrade(failing.url));
    await failing.close();
    expect(run.execution).toMatchObject({ status: 'FAILED', error: 'UpgradeRolledBack' });
    expect(run.upgrade.state).toBe('rolled_back');
    expect(await drain()).toMatchObject({ mode: 'Active', version: from, inflight_count: 1 });
    expect((await intent('POST', '/intents/r-1/complete')).status).toBe(200);
    noDenials();
  });

  it('abort during the drain cancels it and resumes the running version', async () => {
    const from = (await drain()).version;
    expect((await intent('POST', '/intents', { id: 'keeps-draining' })).status).toBe(201);
    const run = await upgrade(
      { target_version: '2.0.0', reason: 'abort me', drain_timeout_secs: 600 },
      async () => {
        await eventually(async () => (await drain()).mode === 'Draining');
        expect((await admin('POST', '/admin/upgrade/abort')).status).toBe(202);
      },
    );
    // An operator's abort is a planned outcome: the execution succeeds, the record says aborted.
    expect(run.execution).toMatchObject({ status: 'SUCCEEDED' });
    expect(await drain()).toMatchObject({ mode: 'Active', version: from, inflight_count: 1 });
    expect((await intent('POST', '/intents/keeps-draining/complete')).status).toBe(200);
    noDenials();
  });

  it('a scheduled dry run: Scheduler starts the state machine under its own role, nothing is drained', async () => {
    const from = (await drain()).version;
    const when = new Date(Date.now() + 5000).toISOString().slice(0, 19);
    const created = await admin('POST', '/admin/upgrade/schedules', {
      name: 'dry',
      schedule: `at(${when})`,
      upgrade: {
        target_version: '2.0.0',
        reason: 'scheduled plan',
        dry_run: true,
        override_min_interval_reason: 'harness',
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const listed = await admin('GET', '/admin/upgrade/schedules');
    expect(listed.status, JSON.stringify(listed.body)).toBe(200);
    await eventually(async () => aws.scheduler.firings.length > 0);
    expect(aws.scheduler.firings).toEqual([{ name: 'dry', started: true }]);
    const [run] = aws.workflow.executions().slice(-1);
    const done = await aws.workflow.finished(run?.arn ?? '');
    expect(done, JSON.stringify(done)).toMatchObject({ status: 'SUCCEEDED' });
    const history = (await admin('GET', '/admin/upgrades?limit=50')).body.upgrades as Record<
      string,
      unknown
    >[];
    const scheduled = history.find((u) => String(u.requested_by).startsWith('scheduler:'));
    expect(scheduled).toMatchObject({ to: '2.0.0', outcome: 'dry_run' });
    expect(await drain()).toMatchObject({ mode: 'Active', version: from });
    noDenials();
  });

  it('a rolling deploy with a failing replica rolls the replicas and the data back', async () => {
    const from = (await drain()).version;
    const backend = await startSampleBackend({
      replicas: 3,
      version: '1.0.0',
      restartMs: 200,
      faults: { 'replica-2': 'unhealthy_after_deploy' },
    });
    try {
      const run = await upgrade({
        target_version: '2.0.0',
        reason: 'bad replica',
        deploy: {
          mode: 'hooks',
          targets: backend.targets,
          max_parallel: 1,
          replica_timeout_secs: 3,
          stabilize_secs: 0,
          request_timeout_secs: 2,
          retries: 0,
        },
      });
      expect(run.execution).toMatchObject({ status: 'FAILED', error: 'UpgradeRolledBack' });
      expect(backend.versions()).toEqual({
        'replica-1': '1.0.0',
        'replica-2': '1.0.0',
        'replica-3': '1.0.0',
      });
      expect(await drain()).toMatchObject({ mode: 'Active', version: from });
    } finally {
      await backend.stop();
    }
    noDenials();
  });
  it('a rolling release with the fence open: owned intents waited for, no 503, every replica rolled; no denial', async () => {
    const from = (await drain()).version;
    const backend = await startSampleBackend({ replicas: 2, version: '1.0.0', restartMs: 100 });
    try {
      // replica-1 holds an intent; it completes while the release waits for it.
      expect((await intent('POST', '/intents', { id: 'owned-1', owner: 'replica-1' })).status).toBe(201);
      const run = await upgrade(
        rollingRelease(backend.targets, '1.4.0', 'compatible backend release'),
        async () => {
          await eventually(async () =>
            /draining replica-1/.test(
              String(((await upgradeStatus()).components as { detail: string }[] | undefined)?.[0]?.detail),
            ),
          );
          // Admission is open: another producer's intent goes to replica-2 meanwhile.
          expect((await intent('POST', '/intents', { id: 'during', owner: 'replica-2' })).status).toBe(201);
          expect((await intent('POST', '/intents/owned-1/complete')).status).toBe(200);
          expect((await intent('POST', '/intents/during/complete')).status).toBe(200);
        },
      );
      expect(run.execution, JSON.stringify(run.execution)).toMatchObject({ status: 'SUCCEEDED' });
      expect(backend.versions()).toEqual({ 'replica-1': '1.4.0', 'replica-2': '1.4.0' });
      expect(await drain()).toMatchObject({ mode: 'Active', version: from });
    } finally {
      await backend.stop();
    }
    noDenials();
  });
  it('a canary turning Unhealthy in its bake rolls back the canary alone, under the template IAM; no 503, no denial', async () => {
    const from = (await drain()).version;
    const backend = await startSampleBackend({
      replicas: 2,
      version: '1.0.0',
      restartMs: 100,
      faults: { 'replica-1': 'degrades_after_deploy' },
      degradeAfterMs: 500,
    });
    try {
      const health = backend.targets[0]?.health_url as string;
      const refused: number[] = [];
      const run = await upgrade(
        {
          ...rollingRelease(backend.targets, '1.5.0', 'canary on AWS'),
          canary: {
            replicas: 1,
            bake: {
              duration_secs: 30,
              check_interval_secs: 1,
              triggers: [
                { type: 'health', check: { name: 'canary', type: 'http', url: health }, consecutive: 1 },
              ],
            },
          },
        },
        async () => {
          // Admission stays open while the canary rolls and bakes.
          for (let n = 0; n < 5; n++) {
            const r = await intent('POST', '/intents', { id: `canary-${n}`, owner: 'replica-2' });
            if (r.status === 503) refused.push(n);
            await new Promise((done) => setTimeout(done, 300));
          }
        },
      );
      expect(run.upgrade.state, String(run.upgrade.error)).toBe('rolled_back');
      expect(String(run.upgrade.error)).toMatch(/^the canary's bake tripped: health canary/);
      expect(refused).toEqual([]);
      expect(backend.versions()).toEqual({ 'replica-1': '1.0.0', 'replica-2': '1.0.0' });
      expect(backend.deploys()['replica-2']).toEqual([]);
      expect(await drain()).toMatchObject({ mode: 'Active', version: from });
    } finally {
      await backend.stop();
    }
    noDenials();
  });
  it('a lost execution is recovered by abort: records restored from the checkpoint, the old version resumes', async () => {
    const from = (await drain()).version;
    expect((await intent('POST', '/intents', { id: 'kept', protocol_version: from })).status).toBe(201);
    const started = await admin('POST', '/admin/upgrade/start', {
      ...quick,
      target_version: '2.0.0',
      reason: 'lost mid-way',
      drain_timeout_secs: 1,
      force_after_timeout: true,
      deploy: { mode: 'manual', deploy_timeout_secs: 120 },
    });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    await eventually(async () => (await upgradeStatus()).current_step === 'Waiting for deploy');
    aws.workflow.stopAll(); // the execution is gone (as after an uncatchable failure); the fence and lock remain
    await aws.workflow.finished(started.body.execution_arn as string);
    const aborted = await admin('POST', '/admin/upgrade/abort');
    expect(aborted.status, JSON.stringify(aborted.body)).toBe(202);
    await eventually(async () => (await drain()).mode === 'Active');
    expect(await drain()).toMatchObject({ mode: 'Active', version: from, inflight_count: 1 });
    expect((await intent('POST', '/intents/kept/complete')).status).toBe(200);
    noDenials();
  });

  it('a manual deploy waits for the operator; continue goes on to the post-checks and resumes', async () => {
    const run = await upgrade(
      {
        target_version: '2.0.0',
        reason: 'manual deploy',
        deploy: { mode: 'manual', deploy_timeout_secs: 120 },
      },
      async (id) => {
        await eventually(async () => (await upgradeStatus()).current_step === 'Waiting for deploy');
        const go = await admin('POST', `/admin/upgrade/${id}/continue`);
        expect(go.status, JSON.stringify(go.body)).toBeLessThan(300);
      },
    );
    expect(run.execution, JSON.stringify(run.execution)).toMatchObject({ status: 'SUCCEEDED' });
    expect(await drain()).toMatchObject({ mode: 'Active', version: '2.0.0' });
    noDenials();
  });

  it('the drain API speaks to the upgrade under its own IAM: cancel aborts its drain, resume ends a maintenance', async () => {
    const from = (await drain()).version;
    expect((await intent('POST', '/intents', { id: 'holds-the-drain' })).status).toBe(201);
    const aborted = await upgrade({ reason: 'maintenance, cancelled', drain_timeout_secs: 600 }, async () => {
      await eventually(async () => (await drain()).mode === 'Draining');
      const cancel = await admin('POST', '/admin/drain/cancel');
      expect(cancel.status, JSON.stringify(cancel.body)).toBe(202);
      expect(cancel.body.upgrade).toMatchObject({ action: 'abort' });
    });
    expect(aborted.execution).toMatchObject({ status: 'SUCCEEDED' });
    expect(await drain()).toMatchObject({ mode: 'Active', version: from });
    expect((await intent('POST', '/intents/holds-the-drain/complete')).status).toBe(200);
    const run = await upgrade(
      { reason: 'maintenance', deploy: { mode: 'manual', deploy_timeout_secs: 120 } },
      async () => {
        await eventually(async () => String((await upgradeStatus()).current_step).includes('maintenance'));
        const go = await admin('POST', '/admin/drain/resume');
        expect(go.status, JSON.stringify(go.body)).toBe(202);
      },
    );
    expect(run.execution, JSON.stringify(run.execution)).toMatchObject({ status: 'SUCCEEDED' });
    expect(await drain()).toMatchObject({ mode: 'Active', version: from });
    noDenials();
  });

  it('a bake tripped by a CloudWatch alarm (DescribeAlarms under the template IAM) rolls back after resume', async () => {
    const from = (await drain()).version;
    const alarm = 'ucp-bake-relayer-errors'; // bake alarms are readable by name prefix (-c bakeAlarms)
    aws.alarms[alarm] = 'OK';
    const refused = await admin('POST', '/admin/upgrade/start', {
      ...quick,
      target_version: '2.1.0',
      reason: 'not a readable alarm',
      bake: { duration_secs: 60, triggers: [{ type: 'alarm', names: ['SomeoneElsesAlarm'] }] },
    });
    expect(refused.status).toBe(400);
    expect(String(refused.body.message)).toMatch(/may not read alarm SomeoneElsesAlarm/);
    const run = await upgrade(
      {
        target_version: '2.1.0',
        reason: 'baked on AWS',
        migrations: [],
        // The intent admitted during the bake is still inflight when it trips: the rollback drain is forced.
        drain_timeout_secs: 2,
        force_after_timeout: true,
        bake: {
          duration_secs: 120,
          check_interval_secs: 1,
          triggers: [
            { type: 'alarm', names: [alarm] },
            { type: 'intent_failures', max_pct: 50, min_samples: 100 },
          ],
        },
      },
      async (id) => {
        await eventually(async () => (await upgradeStatus()).state === 'baking', 60_000);
        expect((await intent('POST', '/intents', { id: 'during-bake' })).body.protocol_version).toBe('2.1.0');
        // The completion counts its outcome for the bake (GetItem and UpdateItem on OUTCOMES* keys only).
        expect((await intent('POST', '/intents', { id: 'failed-in-bake' })).status).toBe(201);
        await new Promise((r) => setTimeout(r, 1_100));
        const done = await intent('POST', '/intents/failed-in-bake/complete', { outcome: 'failed' });
        expect(done.body).toMatchObject({ completed: true, counted_for: id });
        await eventually(async () =>
          /1 of 1 completions failed/.test(JSON.stringify((await upgradeStatus()).bake)),
        );
        aws.alarms[alarm] = 'ALARM';
      },
    );
    expect(run.execution).toMatchObject({ status: 'FAILED', error: 'UpgradeRolledBack' });
    expect(run.upgrade).toMatchObject({ state: 'rolled_back', bake: { state: 'tripped' } });
    expect(String(run.upgrade.error)).toMatch(/alarm ucp-bake-relayer-errors: in ALARM/);
    expect(await drain()).toMatchObject({ mode: 'Active', version: from, inflight_count: 1 });
    expect((await intent('POST', '/intents/during-bake/complete')).status).toBe(200);
    noDenials();
  }, 150_000);
});
