import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support/api.ts';
import {
  eventually,
  failingPostCheckUpgrade,
  healthEndpoint,
  intentItems,
  runUpgrade,
} from './support/upgrade.ts';

let api: TestApi;
beforeEach(async () => {
  await api?.stop();
  api = await startTestApi();
});
afterAll(async () => {
  await api?.stop();
});

const status = async () => (await api.admin('GET', '/admin/drain/status')).body;

describe("the seeds' upgrade scenarios, through the API on the local stack", () => {
  it('1. happy path without inflight intents', async () => {
    const run = await runUpgrade(api, { target_version: '2.0.0', reason: 'happy path' });
    expect(run.execution.status).toBe('SUCCEEDED');
    expect(run.upgrade).toMatchObject({
      state: 'succeeded',
      from_version: '1.0.0',
      to_version: '2.0.0',
      progress_pct: 100,
    });
    expect(await status()).toMatchObject({ mode: 'Active', version: '2.0.0', admitting: true });
    expect(run.steps.map((s) => s.name)).toEqual([
      'Run pre-checks',
      'Start drain',
      'Check drain progress',
      'Checkpoint inflight state to S3',
      'Mark upgrading',
      'Migrate stored records',
      'Run post-checks',
      'Resume on target version',
      'Smoke test after resume',
      'Verify every replica before success',
      'Verify IBC packets',
      'Record upgrade in history',
    ]);
    expect(run.steps.every((s) => s.outcome === 'succeeded')).toBe(true);
    const history = (await api.admin('GET', '/admin/upgrades')).body.upgrades as Record<string, unknown>[];
    expect(history[0]).toMatchObject({ from: '1.0.0', to: '2.0.0', outcome: 'succeeded', error: null });
    const checkpoint = await api.admin(
      'GET',
      `/admin/checkpoints/${run.upgrade.checkpoint_id as string}?validate=true`,
    );
    expect(checkpoint.body).toMatchObject({
      protocol_version: '1.0.0',
      validation: { valid: true, problems: [] },
    });
    expect((await api.intent('POST', '/intents', { id: 'after' })).body.protocol_version).toBe('2.0.0');
  });

  it('2. drain with inflight intents that complete during the drain', async () => {
    for (const id of ['d-1', 'd-2', 'd-3'])
      await api.intent('POST', '/intents', { id, user_funds_locked: id === 'd-2' });
    const run = await runUpgrade(
      api,
      { target_version: '1.1.0', reason: 'drain with inflight' },
      async () => {
        await eventually(async () => (await status()).mode === 'Draining');
        const refused = await api.intent('POST', '/intents', { id: 'late' });
        expect(refused.status).toBe(503);
        expect(refused.headers.get('retry-after')).toBeTruthy();
        const upgrade = (await api.admin('GET', '/admin/upgrade/status')).body;
        expect(upgrade).toMatchObject({ state: 'running', inflight_count: 3, target_version: '1.1.0' });
        for (const id of ['d-1', 'd-2', 'd-3']) {
          await api.intent('POST', `/intents/${id}/complete`);
          await new Promise((r) => setTimeout(r, 300));
        }
      },
    );
    expect(run.execution.status).toBe('SUCCEEDED');
    expect(run.upgrade.state).toBe('succeeded');
    expect(await status()).toMatchObject({ mode: 'Active', version: '1.1.0', inflight_count: 0 });
  });

  it('3a. drain timeout without force: cancelled, old version resumed, remaining intents named', async () => {
    await api.intent('POST', '/intents', { id: 'stuck-locked', user_funds_locked: true });
    await api.intent('POST', '/intents', { id: 'stuck-free' });
    const run = await runUpgrade(api, { target_version: '2.0.0', reason: 'timeout', drain_timeout_secs: 2 });
    // A planned outcome, not a failed execution (the ExecutionsFailed alarm stays quiet).
    expect(run.execution).toMatchObject({
      status: 'SUCCEEDED',
      output: { reason: 'drain_timeout', remaining: 2 },
    });
    expect(run.endState).toBe('Drain timed out');
    expect(run.upgrade.state).toBe('failed');
    expect(run.upgrade.error).toContain('2 intents inflight (1 with locked funds)');
    expect(run.upgrade.result).toMatchObject({ with_locked_funds: ['stuck-locked'] });
    expect(await status()).toMatchObject({ mode: 'Active', version: '1.0.0', inflight_count: 2 });
  });

  it('3b. drain timeout with force_after_timeout: locked funds block the force', async () => {
    await api.intent('POST', '/intents', { id: 'locked', solver_funds_locked: true });
    const run = await runUpgrade(api, {
      target_version: '2.0.0',
      reason: 'force blocked',
      drain_timeout_secs: 2,
      force_after_timeout: true,
    });
    expect(run.execution).toMatchObject({ status: 'SUCCEEDED', output: { reason: 'drain_timeout' } });
    expect(run.endState).toBe('Drain timed out');
    expect(run.steps.map((s) => s.name)).not.toContain('Force drain');
    expect(await status()).toMatchObject({ mode: 'Active', version: '1.0.0' });
  });

  it('3c. drain timeout with force_after_timeout and no locked funds: forced, the intent is migrated and kept', async () => {
    await api.intent('POST', '/intents', { id: 'slow', phase: 'Pending' });
    const run = await runUpgrade(api, {
      target_version: '2.0.0',
      reason: 'force ok',
      drain_timeout_secs: 2,
      force_after_timeout: true,
    });
    expect(run.execution.status).toBe('SUCCEEDED');
    expect(run.steps.map((s) => s.name)).toContain('Force drain');
    const [slow] = await intentItems();
    expect(slow).toMatchObject({
      id: 'slow',
      protocol_version: '2.0.0',
      phase: 'Submitted',
      settlement_mode: 'standard',
    });
    expect(run.upgrade.records_migrated).toBe(1);
  });

  it('4. rollback on a failed post-check restores the exact records and resumes the old version', async () => {
    const failing = await healthEndpoint((_req, res) => {
      res.writeHead(500).end('{"status":"Unhealthy"}');
    });
    await api.intent('POST', '/intents', { id: 'r-1', phase: 'Pending', user_funds_locked: false });
    await api.intent('POST', '/intents', {
      id: 'r-2',
      phase: 'Settling',
      ibc_in_flight: true,
      protocol_version: '1.1.0',
    });
    await api.intent('PATCH', '/intents/r-1', { solver_funds_locked: false, phase: 'Matched' });
    const before = await intentItems();
    const run = await runUpgrade(api, failingPostCheckUpgrade(failing.url));
    await failing.close();
    expect(run.execution).toMatchObject({ status: 'FAILED', error: 'UpgradeRolledBack' });
    expect(run.upgrade.state).toBe('rolled_back');
    expect(run.upgrade.error).toContain('PostChecksFailed');
    expect(run.steps.find((s) => s.name === 'Roll back to checkpoint')?.detail).toMatchObject({
      method: 'checkpoint',
      restored: 2,
    });
    expect(await intentItems()).toEqual(before);
    expect(await status()).toMatchObject({ mode: 'Active', version: '1.0.0', inflight_count: 2 });
  });

  it('5. version compatibility: old-version records processed after migration; a deprecated version is refused', async () => {
    await api.intent('POST', '/intents', { id: 'v-old', protocol_version: '1.0.0' });
    await api.intent('POST', '/intents', { id: 'v-mid', protocol_version: '1.1.0' });
    const run = await runUpgrade(api, {
      target_version: '2.0.0',
      reason: 'compat',
      drain_timeout_secs: 1,
      force_after_timeout: true,
      deprecate_versions: ['1.0.0'],
    });
    expect(run.execution.status).toBe('SUCCEEDED');
    const items = await intentItems();
    expect(items.map((i) => [i.id, i.protocol_version])).toEqual([
      ['v-mid', '2.0.0'],
      ['v-old', '2.0.0'],
    ]);
    expect((await api.intent('PATCH', '/intents/v-old', { phase: 'Settling' })).status).toBe(200);
    expect((await api.intent('POST', '/intents/v-old/complete')).body).toMatchObject({ completed: true });
    const refused = await api.intent('POST', '/intents', { id: 'v-new-old', protocol_version: '1.0.0' });
    expect(refused.status).toBe(426);
    expect(refused.body).toMatchObject({ error: 'upgrade_required' });
    expect(refused.body.message).toContain('1.0.0 is deprecated');
    expect(refused.body.accepted_versions).toEqual(expect.arrayContaining(['2.0.0', '1.1.0']));
    expect(
      (await api.intent('POST', '/intents', { id: 'v-new-mid', protocol_version: '1.1.0' })).status,
    ).toBe(201);
    const unknown = await api.intent('POST', '/intents', { id: 'v-nobody', protocol_version: '9.9.9' });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ error: 'unknown_version' });
    expect(unknown.body.accepted_versions).toEqual(expect.arrayContaining(['2.0.0', '1.1.0']));
    expect(unknown.body.accepted_versions).not.toContain('1.0.0');
  });

  it('6. pending IBC packets are preserved across the checkpoint', async () => {
    await api.intent('POST', '/intents', { id: 'ibc-1', ibc_in_flight: true });
    await api.intent('POST', '/intents', { id: 'ibc-2', ibc_in_flight: true, phase: 'IbcTransferring' });
    await api.intent('POST', '/intents', { id: 'no-ibc' });
    const run = await runUpgrade(api, {
      target_version: '1.1.0',
      reason: 'ibc',
      drain_timeout_secs: 1,
      force_after_timeout: true,
    });
    expect(run.execution.status).toBe('SUCCEEDED');
    const packets = (await api.cp.upgrade.checkpoints.readPart(
      run.upgrade.checkpoint_id as string,
      'pending_ibc_packets',
    )) as {
      intent_id: string;
    }[];
    expect(packets.map((p) => p.intent_id).sort()).toEqual(['ibc-1', 'ibc-2']);
    expect(await status()).toMatchObject({ pending_ibc_packets: 2, inflight_count: 3 });
  });

  it('7. contract migration (full cases in contract-upgrade.test.ts): without a chain configured it is refused before draining', async () => {
    const run = await runUpgrade(api, {
      target_version: '2.0.0',
      reason: 'contract',
      contract: {
        address: 'wasm14hj2tavq8fpesdwxxcu44rty3hh90vhujrvcmstl4zr3txmfvw9s0phg4d',
        new_code_id: 2,
        expected_checksum: 'a'.repeat(64),
        migrate_msg: { new_version: '2.0.0' },
      },
    });
    expect(run.execution.status).toBe('SUCCEEDED'); // refused: planned, not a failed execution
    expect(run.endState).toBe('Upgrade refused before drain');
    expect(run.upgrade.error).toContain('no chain is configured');
    expect(run.steps.map((s) => s.name)).not.toContain('Start drain');
    expect(await status()).toMatchObject({ mode: 'Active', version: '1.0.0' });
  });
});

describe('operator controls', () => {
  it('abort during the drain cancels it and resumes the old version', async () => {
    await api.intent('POST', '/intents', { id: 'keeps-draining' });
    const run = await runUpgrade(api, { target_version: '2.0.0', reason: 'abort me' }, async () => {
      await eventually(async () => (await status()).mode === 'Draining');
      const aborted = await api.admin('POST', '/admin/upgrade/abort');
      expect(aborted.status).toBe(202);
      expect(aborted.body.message).toContain('next safe point');
    });
    expect(run.execution).toMatchObject({ status: 'SUCCEEDED', output: { reason: 'aborted' } });
    expect(run.endState).toBe('Upgrade aborted by operator');
    expect(run.upgrade.state).toBe('aborted');
    expect(await status()).toMatchObject({ mode: 'Active', version: '1.0.0', inflight_count: 1 });
    expect((await api.admin('POST', '/admin/upgrade/abort')).status).toBe(409);
  });

  it('a second concurrent start gets 409 naming the running upgrade', async () => {
    await api.intent('POST', '/intents', { id: 'holds-the-drain' });
    const first = await api.admin('POST', '/admin/upgrade/start', {
      target_version: '2.0.0',
      reason: 'first',
    });
    expect(first.status).toBe(202);
    const second = await api.admin('POST', '/admin/upgrade/start', {
      target_version: '2.0.0',
      reason: 'second',
    });
    expect(second.status).toBe(409);
    expect(second.body.running_upgrade_id ?? second.body.error).toBeTruthy();
    expect(second.body.message).toMatch(new RegExp(`${first.body.upgrade_id as string}|not_active|Draining`));
    await api.intent('POST', '/intents/holds-the-drain/complete');
    expect((await api.engine.finished(first.body.execution_arn as string)).status).toBe('SUCCEEDED');
  });

  it('dry run plans without draining', async () => {
    await api.intent('POST', '/intents', { id: 'dry-1', protocol_version: '1.0.0' });
    const run = await runUpgrade(api, { target_version: '2.0.0', reason: 'plan', dry_run: true });
    expect(run.execution.status).toBe('SUCCEEDED');
    expect(run.upgrade).toMatchObject({ state: 'dry_run' });
    expect(run.upgrade.result).toMatchObject({
      records_to_migrate: 1,
      migration_path: [{ name: '1.0.0->1.1.0' }, { name: '1.1.0->2.0.0' }],
    });
    expect(run.steps.map((s) => s.name)).not.toContain('Start drain');
    expect(await status()).toMatchObject({ mode: 'Active', version: '1.0.0' });
  });

  it('an unhealthy pre-check stops the upgrade before any drain', async () => {
    const down = await healthEndpoint((_req, res) => {
      res.writeHead(503).end();
    });
    const run = await runUpgrade(api, {
      target_version: '2.0.0',
      reason: 'unhealthy',
      pre_checks: [{ name: 'relayer', type: 'http', url: down.url }],
    });
    await down.close();
    expect(run.execution.status).toBe('SUCCEEDED'); // refused: planned, not a failed execution
    expect(run.endState).toBe('Upgrade refused before drain');
    expect(run.upgrade.error).toContain('relayer Unhealthy');
    expect(run.steps.map((s) => s.name)).not.toContain('Start drain');
  });

  it('the minimum interval between upgrades is enforced unless overridden with a reason (audited)', async () => {
    await api.stop();
    api = await startTestApi({ MIN_UPGRADE_INTERVAL_SECS: '3600' });
    expect((await runUpgrade(api, { target_version: '1.1.0', reason: 'first' })).execution.status).toBe(
      'SUCCEEDED',
    );
    const soon = await api.admin('POST', '/admin/upgrade/start', {
      target_version: '2.0.0',
      reason: 'too soon',
    });
    expect(soon.status).toBe(409);
    expect(soon.body).toMatchObject({ error: 'too_soon' });
    const run = await runUpgrade(api, {
      target_version: '2.0.0',
      reason: 'hotfix',
      override_min_interval_reason: 'security fix',
    });
    expect(run.execution.status).toBe('SUCCEEDED');
    const audit = await api.cp.audit.recent(20);
    expect(
      audit.some((a) => a.action === 'upgrade.override_min_interval' && a.message.includes('security fix')),
    ).toBe(true);
  });
});
