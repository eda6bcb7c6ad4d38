import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MigrationRegistry } from '../shared/migration/migration.ts';
import { reverseAfterBake } from '../shared/upgrade/bake/rollback-after-resume.ts';
import { runConfig, withDefaults } from '../shared/upgrade/upgrade-config.ts';
import { startTestApi, type TestApi } from './support/api.ts';
import { eventually, healthEndpoint, intentItems } from './support/upgrade.ts';

const dir = mkdtempSync(join(tmpdir(), 'ucp-bake-'));
const alarmsFile = join(dir, 'alarms.json');
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ LOCAL_ALARMS_FILE: alarmsFile });
});
afterAll(async () => {
  await api.stop();
  delete process.env.LOCAL_ALARMS_FILE;
  rmSync(dir, { recursive: true, force: true });
});

const quick = { rollback_retry_delay_secs: 0, drain_timeout_secs: 2, force_after_timeout: true };
const start = async (body: Record<string, unknown>) => {
  const r = await api.admin('POST', '/admin/upgrade/start', { ...quick, ...body });
  expect(r.status, r.text).toBe(202);
  return { id: r.body.upgrade_id as string, arn: r.body.execution_arn as string };
};
const status = async () => (await api.admin('GET', '/admin/upgrade/status')).body;
const record = async (id: string) =>
  (await api.admin('GET', `/admin/upgrades/${id}`)).body.upgrade as Record<string, unknown>;
const mode = async () => (await api.admin('GET', '/admin/drain/status')).body;

describe('the bake after resume', () => {
  it('with healthy triggers, ends succeeded after its duration; the status shows it baking', async () => {
    const up = await start({
      target_version: '1.0.1',
      reason: 'bake ok',
      bake: {
        duration_secs: 3,
        check_interval_secs: 1,
        triggers: [{ type: 'health', check: { name: 'settlement_store', type: 'dynamodb' } }],
      },
    });
    await eventually(async () => (await status()).state === 'baking');
    const during = await status();
    expect(during.bake).toMatchObject({ state: 'baking', trigger: null });
    expect((during.bake as { seconds_left: number }).seconds_left).toBeLessThanOrEqual(3);
    expect(String(during.next)).toMatch(/promote/);
    expect((await api.engine.finished(up.arn)).status).toBe('SUCCEEDED');
    expect(await record(up.id)).toMatchObject({ state: 'succeeded', bake: { state: 'passed' } });
    expect((await mode()).version).toBe('1.0.1');
  });

  it('promote ends a bake early, as a success (audited); promoting what is not baking is a 409', async () => {
    const up = await start({
      target_version: '1.0.0',
      reason: 'back, baked',
      migrations: [],
      bake: { duration_secs: 600, check_interval_secs: 2, triggers: [{ type: 'alarm', names: ['Quiet'] }] },
    });
    await eventually(async () => (await status()).state === 'baking');
    const promoted = await api.admin('POST', `/admin/upgrade/${up.id}/promote`);
    expect(promoted.status, promoted.text).toBe(200);
    expect((await api.engine.finished(up.arn)).status).toBe('SUCCEEDED');
    expect(await record(up.id)).toMatchObject({ state: 'succeeded', bake_promoted_by: 'admin-token' });
    const again = await api.admin('POST', `/admin/upgrade/${up.id}/promote`);
    expect(again.status).toBe(409);
    expect(again.body.error).toBe('not_baking');
    const audit = await api.cp.audit.recent(20);
    expect(audit.some((a) => a.action === 'upgrade.promote' && a.outcome === 'succeeded')).toBe(true);
  });

  it('a health trigger turning Unhealthy mid-bake: drains again, reverses every record (new ones too), resumes the old version, loses nothing', async () => {
    let healthy = true;
    const health = await healthEndpoint((_req, res) => {
      res.writeHead(healthy ? 200 : 500).end(JSON.stringify({ status: healthy ? 'Healthy' : 'Unhealthy' }));
    });
    for (const id of ['o-1', 'o-2', 'o-3'])
      expect((await api.intent('POST', '/intents', { id, phase: 'Pending' })).status).toBe(201);
    const up = await start({
      target_version: '2.0.0',
      reason: 'bad release',
      bake: {
        duration_secs: 120,
        check_interval_secs: 1,
        triggers: [
          { type: 'health', check: { name: 'relayer', type: 'http', url: health.url }, consecutive: 2 },
        ],
      },
    });
    await eventually(async () => (await status()).state === 'baking', 30_000);
    for (const id of ['n-1', 'n-2', 'n-3', 'n-4']) {
      const r = await api.intent('POST', '/intents', { id, phase: 'Submitted' });
      expect(r.status, r.text).toBe(201);
      expect(r.body.protocol_version).toBe('2.0.0');
    }
    expect((await api.intent('POST', '/intents/n-1/complete')).status).toBe(200);
    healthy = false;
    const end = await api.engine.finished(up.arn);
    await health.close();
    expect(end.status).toBe('FAILED');
    const rec = await record(up.id);
    expect(rec.state).toBe('rolled_back');
    expect(String(rec.error)).toMatch(
      /the bake tripped \(health relayer: relayer Unhealthy.*2 of 2 in a row\)/,
    );
    const steps = ((await api.admin('GET', `/admin/upgrades/${up.id}`)).body.steps as { name: string }[]).map(
      (x) => x.name,
    );
    for (const step of ['Drain again for rollback', 'Checkpoint before reversing', 'Reverse migrations'])
      expect(steps).toContain(step);
    expect(await mode()).toMatchObject({ mode: 'Active', version: '1.0.0' });
    const items = (await intentItems()).filter((i) => !i.smoke_test);
    expect(items.map((i) => i.id)).toEqual(['n-2', 'n-3', 'n-4', 'o-1', 'o-2', 'o-3']);
    for (const i of items) {
      expect(i.protocol_version, String(i.id)).toBe('1.0.0');
      expect(i.phase_schema, String(i.id)).toBeUndefined();
      expect(i.settlement_mode, String(i.id)).toBeUndefined();
      expect(i.phase, String(i.id)).toBe('Pending');
    }
    const fresh = await api.intent('POST', '/intents', { id: 'after' });
    expect(fresh.body.protocol_version).toBe('1.0.0');
    for (const i of [...items.map((x) => String(x.id)), 'after'])
      expect((await api.intent('POST', `/intents/${i}/complete`)).status).toBe(200);
  });

  it('an alarm in ALARM trips the bake; an operator abort during a bake rolls back as aborted', async () => {
    writeFileSync(alarmsFile, JSON.stringify({ HighErrorRate: 'OK' }));
    const up = await start({
      target_version: '1.1.0',
      reason: 'alarm watched',
      bake: {
        duration_secs: 120,
        check_interval_secs: 1,
        triggers: [{ type: 'alarm', names: ['HighErrorRate'] }],
      },
    });
    await eventually(async () => (await status()).state === 'baking', 30_000);
    writeFileSync(alarmsFile, JSON.stringify({ HighErrorRate: 'ALARM' }));
    await api.engine.finished(up.arn);
    expect(await record(up.id)).toMatchObject({ state: 'rolled_back', bake: { state: 'tripped' } });
    expect(String((await record(up.id)).error)).toMatch(/alarm HighErrorRate: in ALARM: HighErrorRate/);
    expect((await mode()).version).toBe('1.0.0');

    const next = await start({
      target_version: '1.1.0',
      reason: 'aborted in the bake',
      override_min_interval_reason: 'test',
      bake: {
        duration_secs: 120,
        check_interval_secs: 1,
        triggers: [{ type: 'stuck_inflight', max_age_secs: 3600 }],
      },
    });
    await eventually(async () => (await status()).state === 'baking', 30_000);
    expect((await api.admin('POST', '/admin/upgrade/abort')).status).toBe(202);
    const done = await api.engine.finished(next.arn);
    expect(done.status).toBe('SUCCEEDED');
    expect(await record(next.id)).toMatchObject({ state: 'aborted' });
    expect(await mode()).toMatchObject({ mode: 'Active', version: '1.0.0' });
  });

  it('intent_failures: below min_samples it does not judge; past them a failed share over max_pct trips', async () => {
    const up = await start({
      target_version: '1.1.0',
      reason: 'failures watched',
      override_min_interval_reason: 'test',
      bake: {
        duration_secs: 120,
        check_interval_secs: 1,
        triggers: [{ type: 'intent_failures', max_pct: 20, min_samples: 6 }],
      },
    });
    await eventually(
      async () => (await status()).state === 'baking',
      30_000,
      async () => JSON.stringify(await status()),
    );
    await new Promise((r) => setTimeout(r, 1_100)); // the completion path's one-second view of the counting
    const ids = ['f-1', 'f-2', 'f-3', 'f-4', 'f-5', 'f-6'];
    for (const id of ids) expect((await api.intent('POST', '/intents', { id })).status).toBe(201);
    const bogus = await api.intent('POST', '/intents/f-1/complete', { outcome: 'lost' });
    expect(bogus.status, bogus.text).toBe(400);
    for (const id of ids.slice(0, 3)) {
      const r = await api.intent('POST', `/intents/${id}/complete`, { outcome: 'failed' });
      expect(r.body).toMatchObject({ completed: true, outcome: 'failed', counted_for: up.id });
    }
    expect((await api.intent('POST', '/intents/f-4/complete', { outcome: 'refunded' })).status).toBe(200);
    expect((await api.intent('POST', '/intents/f-5/complete')).body.outcome).toBe('settled');
    // 3 of 5 failed (60 %) but 5 < min_samples: two more looks, still baking.
    await eventually(async () => {
      const bake = (await status()).bake as { readings: { detail: string }[] };
      return /3 of 5 completions failed.*not judged yet/.test(bake.readings[0]?.detail ?? '');
    });
    await new Promise((r) => setTimeout(r, 2_000));
    expect((await status()).state).toBe('baking');
    expect((await api.intent('POST', '/intents/f-6/complete', { outcome: 'settled' })).status).toBe(200);
    await api.engine.finished(up.arn);
    const rec = await record(up.id);
    expect(rec.state).toBe('rolled_back');
    expect(String(rec.error)).toMatch(
      /intent_failures > 20 %: 3 of 6 completions failed \(50\.0 %\), limit 20 %/,
    );
    expect((await mode()).version).toBe('1.0.0');
    // The counting ended with the bake: a completion now counts for nobody.
    expect((await api.intent('POST', '/intents', { id: 'f-7' })).status).toBe(201);
    await new Promise((r) => setTimeout(r, 1_100));
    expect((await api.intent('POST', '/intents/f-7/complete', { outcome: 'failed' })).body.counted_for).toBe(
      null,
    );
  });

  it('an irreversible step on the path stops the reversal (NotReversible), saying what to do', async () => {
    const irreversible = new MigrationRegistry([
      {
        from: '1.0.0',
        to: '3.0.0',
        description: 'one way',
        forward: (r) => ({ ...r, protocol_version: '3.0.0' }),
      },
    ]);
    const config = runConfig(withDefaults({ target_version: '3.0.0', reason: 'one way' }, 1), '1.0.0');
    const state = {
      scheduled: false as const,
      upgrade_id: 'u-irrev',
      from_version: '1.0.0',
      config,
      rollback_attempts: { count: 0 },
    };
    await expect(
      reverseAfterBake({ ...api.cp.upgrade, registry: irreversible }, state),
    ).rejects.toMatchObject({
      name: 'NotReversible',
      message: expect.stringMatching(/irreversible steps \(1\.0\.0->3\.0\.0\).*POST \/admin\/drain\/resume/),
    });
  });

  it('refuses bake sections that could not fit or could not be rolled back, with what to change', async () => {
    const bad = [
      [
        { duration_secs: 86_400, check_interval_secs: 1, triggers: [{ type: 'alarm', names: ['A'] }] },
        /raise check_interval_secs/,
      ],
      [
        { duration_secs: 10, warmup_secs: 10, triggers: [{ type: 'alarm', names: ['A'] }] },
        /warmup_secs must be less/,
      ],
      [{ duration_secs: 10, triggers: [] }, /triggers/],
      [{ duration_secs: 10, triggers: [{ type: 'intent_failures', max_pct: 105 }] }, /max_pct/],
      [{ duration_secs: 10, triggers: [{ type: 'errors', max: 5 }] }, /type/],
    ] as const;
    for (const [bake, why] of bad) {
      const r = await api.admin('POST', '/admin/upgrade/start', {
        target_version: '1.1.0',
        reason: 'bad bake',
        bake,
      });
      expect(r.status, r.text).toBe(400);
      expect(r.body.message).toMatch(why);
    }
  });
});
