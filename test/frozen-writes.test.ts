import { afterEach, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support/api.ts';
import { eventually, intentItems, runUpgrade } from './support/upgrade.ts';

let api: TestApi | undefined;
afterEach(async () => {
  await api?.stop();
  api = undefined;
});

const waitingForDeploy = (t: TestApi) =>
  eventually(
    async () => (await t.admin('GET', '/admin/upgrade/status')).body.current_step === 'Waiting for deploy',
  );

/**
 * D7: an update answered 2xx is never lost to a rollback. From the checkpoint until the upgrade resumes, writes to
 * the inflight intents are refused (503 + Retry-After, like registrations); one acknowledged before is in the
 * checkpoint and comes back with the rollback.
 */
describe('writes to intents while an upgrade holds them', () => {
  it('refuses updates and completions while waiting for a deploy, keeps what was acknowledged, then allows them again', async () => {
    api = await startTestApi();
    const t = api;
    expect((await t.intent('POST', '/intents', { id: 'lu-1', phase: 'Pending' })).status).toBe(201);
    const acknowledged: Record<string, unknown>[] = [];
    const run = await runUpgrade(
      t,
      {
        target_version: '2.0.0',
        reason: 'frozen writes',
        drain_timeout_secs: 1,
        force_after_timeout: true,
        deploy: { mode: 'manual', deploy_timeout_secs: 60 },
      },
      async () => {
        // Before the freeze this lands (200) and must survive the rollback; after it, it is refused.
        const early = await t.intent('PATCH', '/intents/lu-1', { phase: 'Matched' });
        if (early.status === 200) acknowledged.push({ phase: 'Matched' });
        else expect(early.status).toBe(503);
        await waitingForDeploy(t);
        const patch = await t.intent('PATCH', '/intents/lu-1', {
          phase: 'Settling',
          user_funds_locked: true,
          ibc_in_flight: true,
        });
        expect(patch.status, patch.text).toBe(503);
        expect(patch.body.error).toBe('upgrade_in_progress');
        expect(Number(patch.headers.get('retry-after'))).toBeGreaterThan(0);
        const complete = await t.intent('POST', '/intents/lu-1/complete');
        expect(complete.status, complete.text).toBe(503);
        expect((await t.admin('POST', '/admin/upgrade/abort')).status).toBe(202);
      },
    );
    expect(run.upgrade.state).toBe('aborted');
    const [lu] = await intentItems();
    expect(lu).toMatchObject({ id: 'lu-1', protocol_version: '1.0.0', user_funds_locked: false });
    expect(lu?.phase).toBe(acknowledged.length ? 'Matched' : 'Pending');
    expect(lu?.frozen_by).toBeUndefined();
    // Released: the same update now lands and stays.
    const after = await t.intent('PATCH', '/intents/lu-1', { user_funds_locked: true });
    expect(after.status, after.text).toBe(200);
    expect((await intentItems())[0]).toMatchObject({ user_funds_locked: true });
    expect((await t.intent('POST', '/intents/lu-1/complete')).status).toBe(200);
  });

  it('a successful upgrade releases the intents on the new version', async () => {
    api = await startTestApi();
    const t = api;
    await t.intent('POST', '/intents', { id: 'kept', phase: 'Pending' });
    const run = await runUpgrade(t, {
      target_version: '2.0.0',
      reason: 'release',
      drain_timeout_secs: 1,
      force_after_timeout: true,
    });
    expect(run.execution.status).toBe('SUCCEEDED');
    const [kept] = await intentItems();
    expect(kept).toMatchObject({ protocol_version: '2.0.0', phase: 'Submitted' });
    expect(kept?.frozen_by).toBeUndefined();
    expect((await t.intent('PATCH', '/intents/kept', { phase: 'Settling' })).status).toBe(200);
  });
});
