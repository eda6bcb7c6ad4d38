import { afterEach, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support/api.ts';
import { runUpgrade } from './support/upgrade.ts';

// The pre-check of an upgrade that redeploys the relayer: a pending packet that could time out meanwhile refuses
// it before the drain, unless an operator overrides (audited). DynamoDB Local and the local interpreter.
let api: TestApi | undefined;
afterEach(async () => {
  await api?.stop();
  api = undefined;
});

const ns = (msFromNow: number) => String(BigInt(Date.now() + msFromNow) * 1_000_000n);
/** The relayer deployed by an operator (60 s at the most), after a drain of 1 s forced through. */
const relayerUpgrade = (extra: Record<string, unknown> = {}) => ({
  target_version: '1.1.0',
  reason: 'relayer',
  drain_timeout_secs: 1,
  force_after_timeout: true,
  services: [{ name: 'relayer', deploy: { mode: 'manual', deploy_timeout_secs: 60 } }],
  ...extra,
});
async function withPacket(t: TestApi, timeoutMs: number) {
  const packet = {
    source_port: 'transfer',
    source_channel: 'channel-0',
    sequence: 7,
    timeout_timestamp: ns(timeoutMs),
  };
  expect((await t.intent('POST', '/intents', { id: 'ibc-1', ibc_packets: [packet] })).status).toBe(201);
}
const continueWhenWaiting = (t: TestApi) => async () => {
  for (let i = 0; i < 200; i++) {
    const s = (await t.admin('GET', '/admin/upgrade/status')).body;
    if (s.current_step === 'Waiting for deploy') {
      expect((await t.admin('POST', `/admin/upgrade/${s.upgrade_id as string}/continue`)).status).toBe(200);
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('never waited for the relayer deploy');
};
const preCheck = (run: Awaited<ReturnType<typeof runUpgrade>>) =>
  run.steps.find((s) => s.name === 'Run pre-checks')?.detail as Record<string, unknown> | undefined;

describe('an upgrade that redeploys the relayer, with an IBC packet pending', () => {
  it('is refused before draining when the packet could time out within its worst-case window, naming it', async () => {
    api = await startTestApi();
    await withPacket(api, 30_000); // 30 s left; the window is the 1 s drain and the 60 s deploy wait
    const run = await runUpgrade(api, relayerUpgrade());
    expect(run.endState).toBe('Upgrade refused before drain');
    expect(String(run.upgrade.error)).toMatch(
      /IBC: 1 pending packet\(s\) could time out before the relayer is back \(worst case 61 s/,
    );
    expect(String(run.upgrade.error)).toMatch(/transfer\/channel-0\/7 \(intent ibc-1\) times out in \d+ s/);
    expect(String(run.upgrade.error)).toContain('override_ibc_timeouts_reason');
    expect(run.steps.map((s) => s.name)).not.toContain('Start drain');
    expect((await api.admin('GET', '/admin/drain/status')).body).toMatchObject({
      mode: 'Active',
      admitting: true,
    });
  });

  it('goes ahead with override_ibc_timeouts_reason, and the override is audited', async () => {
    const t = await startTestApi();
    api = t;
    await withPacket(t, 30_000);
    const run = await runUpgrade(
      t,
      relayerUpgrade({ override_ibc_timeouts_reason: 'the counterparty refunds are acceptable tonight' }),
      continueWhenWaiting(t),
    );
    expect(run.upgrade.state, String(run.upgrade.error)).toBe('succeeded');
    expect(preCheck(run)).toMatchObject({ ibc: { relayer_redeployed: true, window_secs: 61, at_risk: 1 } });
    const audit = await t.cp.audit.recent(20);
    expect(audit.find((a) => a.action === 'upgrade.override_ibc_timeouts')).toMatchObject({
      actor: run.upgrade.id,
      params: { reason: 'the counterparty refunds are acceptable tonight', at_risk: 1, window_secs: 61 },
    });
  });

  it('goes ahead when every pending packet outlives the window; an upgrade without a relayer does not look', async () => {
    const t = await startTestApi();
    api = t;
    await withPacket(t, 2 * 3600_000);
    const run = await runUpgrade(t, relayerUpgrade(), continueWhenWaiting(t));
    expect(run.upgrade.state, String(run.upgrade.error)).toBe('succeeded');
    expect(preCheck(run)).toMatchObject({ ibc: { relayer_redeployed: true, at_risk: 0 } });
    const other = await runUpgrade(t, {
      target_version: '2.0.0',
      reason: 'no relayer',
      drain_timeout_secs: 1,
      force_after_timeout: true,
      override_min_interval_reason: 'test',
    });
    expect(preCheck(other)).toMatchObject({ ibc: { relayer_redeployed: false } });
  });
});
