import { afterEach, describe, expect, it, vi } from 'vitest';
import { adminServices } from '../lambdas/compose/admin-services.ts';
import type { IbcVerification } from '../shared/upgrade/ibc/ibc-verification.ts';
import { latestEnvironment } from './support/api.ts';
import { metricsDuring } from './support/metrics.ts';
import { runUpgrade } from './support/upgrade.ts';
import { type IbcSystem, relayerUpgrade, startIbcSystem } from './system/ibc-system.ts';

/**
 * Seed 001 scenario 7, "Verify pending IBC packets processed after upgrade", and the ways an upgrade of the relayer
 * can lose packets: the escrow contract's transfers on the simulated chain, a sample relayer relaying through its
 * RPC endpoint, the control plane reading them through CosmJS's IBC extension. DynamoDB Local, the S3 server, the
 * local interpreter; nothing mocked.
 */
let sys: IbcSystem | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  await sys?.stop();
  sys = undefined;
});

const verification = (upgrade: Record<string, unknown>, phase: 'after_resume' | 'after_rollback') =>
  (upgrade.ibc_verification as Record<string, IbcVerification> | null)?.[phase];

describe('upgrading the sample relayer with IBC packets pending (seed 001 scenario 7)', () => {
  it('long timeouts: every packet pending at the checkpoint is relayed after resume, and verified so on chain', async () => {
    sys = await startIbcSystem({ fault: 'not_relaying' }); // stuck until the upgrade replaces it
    const packets = [
      await sys.sendPacket('e-1', 3600),
      await sys.sendPacket('e-2', 3600),
      await sys.sendPacket('e-3', 7200),
    ];
    const pending = (await sys.api.admin('GET', '/admin/ibc/pending')).body;
    expect(pending.packets).toHaveLength(3);
    const run = await runUpgrade(sys.api, relayerUpgrade(sys));
    expect(run.upgrade.state, String(run.upgrade.error)).toBe('succeeded');
    const checkpoint = run.upgrade.checkpoint_id as string;
    const part = await sys.api.admin('GET', `/admin/checkpoints/${checkpoint}`);
    expect(part.body.record_counts).toMatchObject({ pending_ibc_packets: 3 });
    // The checkpoint holds each packet with its status on chain then: pending (the relayer was stuck).
    const { cp } = adminServices(latestEnvironment());
    const stored = (await cp.upgrade.checkpoints.readPart(checkpoint, 'pending_ibc_packets')) as Record<
      string,
      unknown
    >[];
    expect(stored.map((e) => [e.intent_id, e.sequence, e.chain_status]).sort()).toEqual(
      packets.map((p, i) => [`intent-e-${i + 1}`, p.sequence, 'pending']),
    );
    const v = verification(run.upgrade, 'after_resume');
    expect(v).toMatchObject({ checked: 3, relayed: 3, pending: 0, timed_out: 0, settled: true });
    expect(v?.timed_out_during_upgrade).toEqual([]);
    expect(v?.packets.map((p) => p.packet).sort()).toEqual(
      packets.map((p) => `transfer/channel-0/${p.sequence}`).sort(),
    );
    // On chain: each commitment gone, each acknowledged.
    for (const p of packets)
      expect(sys.chain.ibc.commitment('transfer', 'channel-0', p.sequence)).toBeUndefined();
    const status = (await sys.api.admin('GET', '/admin/upgrade/status')).body;
    expect(status.ibc_verification).toMatchObject({ after_resume: { relayed: 3 } });
    expect(run.steps.map((s) => s.name)).toContain('Verify IBC packets');
  });

  it('a packet whose timeout falls inside the upgrade window: refused before draining, the packet named', async () => {
    sys = await startIbcSystem({ fault: 'not_relaying' });
    const p = await sys.sendPacket('e-1', 12);
    const run = await runUpgrade(sys.api, relayerUpgrade(sys));
    expect(run.endState).toBe('Upgrade refused before drain');
    expect(String(run.upgrade.error)).toContain(`transfer/channel-0/${p.sequence} (intent intent-e-1)`);
    expect(run.steps.map((s) => s.name)).not.toContain('Start drain');
    expect(sys.relayer.versions()).toEqual({ 'replica-1': '1.0.0' });
  });

  it('the same, forced: the packet times out during the upgrade, which records it and raises IbcPacketsTimedOut', async () => {
    sys = await startIbcSystem({ fault: 'not_relaying', restartMs: 12_000 });
    const p = await sys.sendPacket('e-1', 8);
    const current = sys;
    let run: Awaited<ReturnType<typeof runUpgrade>> | undefined;
    const names = await metricsDuring(async () => {
      run = await runUpgrade(
        current.api,
        relayerUpgrade(current, { override_ibc_timeouts_reason: 'INC-7: accept' }),
      );
    });
    expect(run?.upgrade.state, String(run?.upgrade.error)).toBe('succeeded');
    const v = verification(run?.upgrade ?? {}, 'after_resume');
    expect(v).toMatchObject({ checked: 1, timed_out: 1, relayed: 0 });
    expect(v?.timed_out_during_upgrade).toEqual([`transfer/channel-0/${p.sequence}`]);
    expect(names).toContain('IbcPacketsTimedOut');
    const part = await current.api.admin('GET', `/admin/checkpoints/${run?.upgrade.checkpoint_id as string}`);
    expect(part.status).toBe(200);
  });

  it('a rollback after a failed post-check verifies the checkpointed packets too', async () => {
    sys = await startIbcSystem({ fault: 'not_relaying' });
    await sys.sendPacket('e-1', 3600);
    await sys.sendPacket('e-2', 3600);
    const run = await runUpgrade(
      sys.api,
      relayerUpgrade(sys, {
        post_checks: [{ name: 'gone', type: 'http', url: 'http://127.0.0.1:9/health' }],
      }),
    );
    expect(run.upgrade.state).toBe('rolled_back');
    expect(verification(run.upgrade, 'after_resume')).toBeUndefined();
    // The relayer rolled back to 1.0.0 is a deployed one: it relays; the verification after the rollback sees it.
    expect(verification(run.upgrade, 'after_rollback')).toMatchObject({ checked: 2, relayed: 2, pending: 0 });
    expect(run.endState).toBe('Upgrade rolled back');
  });

  it('a bake with ibc_pending trips when the new relayer does not relay, and the old one relays them after', async () => {
    sys = await startIbcSystem({ fault: 'new_version_not_relaying' });
    await sys.sendPacket('e-1', 3600);
    const run = await runUpgrade(
      sys.api,
      relayerUpgrade(sys, {
        bake: {
          duration_secs: 60,
          check_interval_secs: 1,
          triggers: [{ type: 'ibc_pending', after_secs: 3 }],
        },
      }),
    );
    expect(run.upgrade.state).toBe('rolled_back');
    expect((run.upgrade.bake as { trigger: string }).trigger).toMatch(
      /^ibc_pending after 3 s: 1 of 1 not relayed \d+ s after resume: transfer\/channel-0\/1 pending/,
    );
    expect(sys.relayer.versions()).toEqual({ 'replica-1': '1.0.0' });
    expect(verification(run.upgrade, 'after_rollback')).toMatchObject({ checked: 1, relayed: 1 });
  });
});
