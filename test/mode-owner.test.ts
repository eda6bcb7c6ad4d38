import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../shared/domain/audited.ts';
import { startTestApi, type TestApi } from './support/api.ts';
import { eventually } from './support/upgrade.ts';

/**
 * One owner of the drain mode at a time: while an upgrade holds the upgrade lock, a manual drain call cannot change
 * the mode (a condition on the mode write itself, in the store), and the upgrade goes on unharmed.
 */
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  api.engine.stopAll();
  await api.stop();
});

const status = async () => (await api.admin('GET', '/admin/upgrade/status')).body;
const mode = async () => (await api.admin('GET', '/admin/drain/status')).body;

describe('manual drain calls during an upgrade', () => {
  it('cannot reopen admission while it waits for a manual deploy (409 naming it); nothing is admitted; it still ends succeeded', async () => {
    const started = await api.admin('POST', '/admin/upgrade/start', {
      target_version: '2.0.0',
      reason: 'manual deploy',
      deploy: { mode: 'manual', deploy_timeout_secs: 60 },
    });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const id = started.body.upgrade_id as string;
    await eventually(async () => (await status()).current_step === 'Waiting for deploy');
    expect(await mode()).toMatchObject({ mode: 'Upgrading' });

    for (const [path, body] of [
      ['/admin/drain/resume', { version: '1.0.0' }],
      ['/admin/drain/cancel', {}],
      ['/admin/drain/start', { reason: 'operator' }],
      ['/admin/drain/force', { acknowledge_locked_funds: true }],
    ] as const) {
      const res = await api.admin('POST', path, body);
      expect(res.status, `${path} ${JSON.stringify(res.body)}`).toBe(409);
      expect(res.body).toMatchObject({
        error: expect.stringMatching(/upgrade_owns_mode|version_mismatch/),
        upgrade_id: id,
      });
      expect(String(res.body.message)).toMatch(/\/admin\/upgrade\/abort|abort and start an upgrade/);
    }
    expect(await mode()).toMatchObject({ mode: 'Upgrading', version: '1.0.0' });
    const refused = await api.intent('POST', '/intents', { id: 'mid-upgrade', user_funds_locked: true });
    expect(refused.status).toBe(503);

    const go = await api.admin('POST', `/admin/upgrade/${id}/continue`, {});
    expect(go.status, JSON.stringify(go.body)).toBe(200);
    await eventually(async () => (await status()).state === 'succeeded');
    expect(await mode()).toMatchObject({ mode: 'Active', version: '2.0.0' });

    // The lock is released with the upgrade's end: the operator owns the mode again.
    const drain = await api.admin('POST', '/admin/drain/start', { reason: 'after the upgrade' });
    expect(drain.status, JSON.stringify(drain.body)).toBe(200);
    expect((await api.admin('POST', '/admin/drain/cancel', {})).status).toBe(200);
  });

  it('the rule is in the store: a mode write by an operator while a lock is held is refused, whatever the rev', async () => {
    const upgrades = api.cp.upgrade.upgrades;
    expect(await upgrades.acquireLock('u-held', Date.now(), true)).toBeNull();
    try {
      const operator: Caller = { actor: 'op', correlationId: null };
      await expect(api.cp.drain.startDrain(operator, 'sneaking in')).rejects.toMatchObject({
        code: 'upgrade_owns_mode',
        details: { upgrade_id: 'u-held' },
      });
      const other: Caller = { actor: 'upgrade:u-other', correlationId: null, upgradeId: 'u-other' };
      await expect(api.cp.drain.startDrain(other, 'not mine')).rejects.toMatchObject({
        code: 'upgrade_not_owner',
      });
      expect(await mode()).toMatchObject({ mode: 'Active' });
      const owner: Caller = { actor: 'upgrade:u-held', correlationId: null, upgradeId: 'u-held' };
      await expect(api.cp.drain.startDrain(owner, 'mine')).resolves.toMatchObject({ mode: 'Drained' });
      await api.cp.drain.cancel(owner);
    } finally {
      await upgrades.releaseLock('u-held');
    }
    expect(await mode()).toMatchObject({ mode: 'Active' });
  });
});
