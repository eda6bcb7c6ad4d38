import { checkpointedPackets } from '../ibc/ibc-verification.ts';
import { readPackets } from '../ibc/packet-readings.ts';
import type { UpgradeServices } from '../upgrade-services.ts';
import type { WorkflowState } from '../workflow-state.ts';

/**
 * The `ibc_pending` trigger: packets that were pending at the checkpoint and are still not relayed (pending, timed
 * out, or unreadable) `afterSecs` after the bake began. Before then it is not judged; the new relayer gets its time.
 */
export async function packetsNotRelayed(
  svc: UpgradeServices,
  s: WorkflowState,
  afterSecs: number,
): Promise<{ fired: boolean; detail: string }> {
  const now = svc.clock.now();
  const since = s.bake?.started_at ?? now;
  // Before its time nothing is read: the checkpoint (validated whole on every read) is opened only to judge.
  const waited = Math.floor((now - since) / 1000);
  if (waited < afterSecs) return { fired: false, detail: `not judged yet: ${afterSecs - waited} s from now` };
  const record = await svc.upgrades.get(s.upgrade_id);
  if (!record?.checkpoint_id) return { fired: false, detail: 'no checkpoint: no packets to follow' };
  const packets = (await checkpointedPackets(svc.checkpoints, record.checkpoint_id)).filter(
    (p) => p.chain_status !== 'relayed' && p.chain_status !== 'timed_out',
  );
  if (!packets.length) return { fired: false, detail: 'no packet was pending at the checkpoint' };
  const notRelayed = (await readPackets(svc.ibc, packets, now)).filter((r) => r.status !== 'relayed');
  return {
    fired: notRelayed.length > 0,
    detail: notRelayed.length
      ? `${notRelayed.length} of ${packets.length} not relayed ${waited} s after resume: ${notRelayed
          .slice(0, 10)
          .map((r) => `${r.packet} ${r.status}`)
          .join(', ')}`
      : `all ${packets.length} relayed`,
  };
}
