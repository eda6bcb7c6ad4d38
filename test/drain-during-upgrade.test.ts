import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support/api.ts';
import { eventually } from './support/upgrade.ts';

/**
 * During an upgrade the drain API speaks to the upgrade (shared/upgrade/drain-requests.ts, docs/operations.md
 * "Drain calls during an upgrade"): cancel in its drain aborts it, force goes through its force path, resume in its
 * operator wait is the go-ahead; anything else is a 409 naming the upgrade, its phase and the way forward.
 */
let api: TestApi;
/** A fresh stack per describe, on version 1.0.0 (migration paths: 1.0.0 -> 1.1.0 -> 2.0.0). */
const freshStack = () => {
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    api.engine.stopAll();
    await api.stop();
  });
};

const status = async () => (await api.admin('GET', '/admin/upgrade/status')).body;
const mode = async () => (await api.admin('GET', '/admin/drain/status')).body;
const ended = async (id: string) => {
  await eventually(
    async () => (await status()).state !== 'running',
    30_000,
    async () => JSON.stringify(await status()),
  );
  const s = await status();
  expect(s.upgrade_id).toBe(id);
  return s;
};
const start = async (body: Record<string, unknown>) => {
  const res = await api.admin('POST', '/admin/upgrade/start', body);
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return res.body.upgrade_id as string;
};

describe('drain calls during an upgrade', () => {
  freshStack();
  it('cancel during its drain aborts it: the lock is released and the old version admits again', async () => {
    expect((await api.intent('POST', '/intents', { id: 'slow-1' })).status).toBe(201);
    const id = await start({ target_version: '2.0.0', reason: 'cancel me' });
    await eventually(async () => (await mode()).mode === 'Draining');
    for (const [path, body] of [
      ['/admin/drain/start', { reason: 'me too' }],
      ['/admin/drain/resume', {}],
    ] as const) {
      const res = await api.admin('POST', path, body);
      expect(res.status, `${path} ${JSON.stringify(res.body)}`).toBe(409);
      expect(res.body).toMatchObject({ error: 'upgrade_owns_mode', upgrade_id: id });
      expect(`${String(res.body.message)} ${String(res.body.hint)}`).toMatch(
        /\/admin\/drain\/cancel (aborts it|during its drain)/,
      );
    }
    const cancel = await api.admin('POST', '/admin/drain/cancel', {});
    expect(cancel.status, JSON.stringify(cancel.body)).toBe(202);
    expect(cancel.body.upgrade).toMatchObject({ upgrade_id: id, phase: 'draining', action: 'abort' });
    expect(await ended(id)).toMatchObject({ state: 'aborted' });
    expect(await mode()).toMatchObject({ mode: 'Active', version: '1.0.0' });
    expect((await api.intent('POST', '/intents', { id: 'after-cancel' })).status).toBe(201);
    expect((await api.intent('POST', '/intents/slow-1/complete', {})).status).toBe(200);
    expect((await api.intent('POST', '/intents/after-cancel/complete', {})).status).toBe(200);
  });

  it('resume while it waits for a manual deploy is the go-ahead; another version is refused', async () => {
    const id = await start({
      target_version: '1.1.0',
      reason: 'manual deploy',
      deploy: { mode: 'manual', deploy_timeout_secs: 60 },
    });
    await eventually(async () => (await status()).current_step === 'Waiting for deploy');
    for (const [path, body, code] of [
      ['/admin/drain/resume', { version: '9.9.9' }, 'version_mismatch'],
      ['/admin/drain/cancel', {}, 'upgrade_owns_mode'],
      ['/admin/drain/force', { acknowledge_locked_funds: true }, 'upgrade_owns_mode'],
      ['/admin/drain/start', { reason: 'no' }, 'upgrade_owns_mode'],
    ] as const) {
      const res = await api.admin('POST', path, body);
      expect(res.status, `${path} ${JSON.stringify(res.body)}`).toBe(409);
      expect(res.body).toMatchObject({ error: code, upgrade_id: id });
    }
    expect(await mode()).toMatchObject({ mode: 'Upgrading', version: '1.0.0' });
    expect((await api.intent('POST', '/intents', { id: 'mid-deploy', user_funds_locked: true })).status).toBe(
      503,
    );
    const go = await api.admin('POST', '/admin/drain/resume', {});
    expect(go.status, JSON.stringify(go.body)).toBe(202);
    expect(go.body.upgrade).toMatchObject({ upgrade_id: id, phase: 'waiting_deploy', action: 'continue' });
    expect(await ended(id)).toMatchObject({ state: 'succeeded' });
    expect(await mode()).toMatchObject({ mode: 'Active', version: '1.1.0' });
  });
  it('force during its drain goes through its force path, refusing locked funds unless acknowledged', async () => {
    expect((await api.intent('POST', '/intents', { id: 'locked-1', user_funds_locked: true })).status).toBe(
      201,
    );
    const id = await start({ target_version: '2.0.0', reason: 'force me' });
    await eventually(async () => (await mode()).mode === 'Draining');
    const refused = await api.admin('POST', '/admin/drain/force', {});
    expect(refused.status, JSON.stringify(refused.body)).toBe(409);
    expect(refused.body).toMatchObject({ error: 'locked_funds' });
    expect(await status()).toMatchObject({ state: 'running' });
    const forced = await api.admin('POST', '/admin/drain/force', { acknowledge_locked_funds: true });
    expect(forced.status, JSON.stringify(forced.body)).toBe(202);
    expect(forced.body.upgrade).toMatchObject({ upgrade_id: id, action: 'force' });
    expect(await ended(id)).toMatchObject({ state: 'succeeded' });
    expect(await mode()).toMatchObject({ mode: 'Active', version: '2.0.0' });
    const detail = (await api.admin('GET', `/admin/upgrades/${id}`)).body;
    expect(detail.upgrade).toMatchObject({ force_requested: { acknowledge_locked_funds: true } });
  });
});

describe('maintenance upgrades (no target_version), as the operations guide runs them', () => {
  freshStack();
  it('drain, checkpoint, wait for the operator; drain/resume ends it succeeded on the running version', async () => {
    expect((await api.intent('POST', '/intents', { id: 'maint-1' })).status).toBe(201);
    const res = await api.admin('POST', '/admin/upgrade/start', {
      reason: 'Upgrading to v2.0.0',
      drain_timeout_secs: 1800,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const id = res.body.upgrade_id as string;
    expect(res.body).toMatchObject({ from_version: '1.0.0', target_version: '1.0.0' });
    await eventually(async () => (await mode()).mode === 'Draining');
    expect((await api.intent('POST', '/intents', { id: 'maint-refused' })).status).toBe(503);
    expect((await api.intent('POST', '/intents/maint-1/complete', {})).status).toBe(200);
    await eventually(async () => String((await status()).current_step).includes('maintenance'));
    const s = await status();
    expect(s.checkpoint_id).toBeTruthy();
    expect(String(s.next)).toContain('POST /admin/drain/resume');
    expect(await mode()).toMatchObject({ mode: 'Upgrading', version: '1.0.0' });
    const resumed = await api.admin('POST', '/admin/drain/resume');
    expect(resumed.status, JSON.stringify(resumed.body)).toBe(202);
    expect(await ended(id)).toMatchObject({
      state: 'succeeded',
      from_version: '1.0.0',
      target_version: '1.0.0',
    });
    expect(await mode()).toMatchObject({ mode: 'Active', version: '1.0.0' });
    expect((await api.intent('POST', '/intents', { id: 'maint-after' })).status).toBe(201);
    expect((await api.intent('POST', '/intents/maint-after/complete', {})).status).toBe(200);
  });

  it('refuses what a maintenance cannot do; resume {version} moves to a version a migration path reaches', async () => {
    const contract = await api.admin('POST', '/admin/upgrade/start', {
      reason: 'maintenance',
      migrations: ['x'],
    });
    expect(contract.status).toBe(400);
    expect(String(contract.body.message)).toContain('give target_version');
    const hooks = await api.admin('POST', '/admin/upgrade/start', {
      reason: 'maintenance',
      deploy: {
        mode: 'hooks',
        targets: [
          {
            name: 'a',
            deploy_url: 'http://127.0.0.1:1/d',
            health_url: 'http://127.0.0.1:1/h',
            version_url: 'http://127.0.0.1:1/v',
          },
        ],
      },
    });
    expect(hooks.status).toBe(400);
    expect(String(hooks.body.message)).toContain('deploy.mode must be manual');

    const id = await start({ reason: 'maintenance, then a wrong version' });
    await eventually(async () => String((await status()).current_step).includes('maintenance'));
    const wrong = await api.admin('POST', '/admin/drain/resume', { version: '7.7.7' });
    expect(wrong.status, JSON.stringify(wrong.body)).toBe(400);
    expect(String(wrong.body.message)).toContain('no migration path from 1.0.0 to 7.7.7');
    expect(await status()).toMatchObject({ state: 'running' });
    const retarget = await api.admin('POST', '/admin/drain/resume', { version: '2.0.0' });
    expect(retarget.status, JSON.stringify(retarget.body)).toBe(202);
    expect(await ended(id)).toMatchObject({
      state: 'succeeded',
      from_version: '1.0.0',
      target_version: '2.0.0',
    });
    expect(await mode()).toMatchObject({ mode: 'Active', version: '2.0.0' });
    const after = await api.intent('POST', '/intents', { id: 'on-2' });
    expect(after.status, JSON.stringify(after.body)).toBe(201);
    expect(after.body).toMatchObject({ protocol_version: '2.0.0' });
  });
});
