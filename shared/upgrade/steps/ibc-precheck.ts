import { type PendingPacket, pendingPackets } from '../../domain/pending-packets.ts';
import { contractWorstCaseSecs, serviceWorstCaseSecs } from '../components/component-plan.ts';
import { relaysIbc } from '../deploy-spec.ts';
import type { UpgradeServices } from '../upgrade-services.ts';
import { StepFailure, type WorkflowState } from '../workflow-state.ts';

/** How many inflight intents the pre-check reads at most (100 pages of 1000): enough, and bounded in time. */
const MAX_PAGES = 100;

/**
 * The seconds from now until the last relaying service is back at the latest: the drain, then every component up
 * to and including it, each at its worst case. Null when the upgrade redeploys no relayer.
 */
export function relayerWindowSecs(s: WorkflowState): number | null {
  const last = s.config.components.findLastIndex(
    (c) =>
      c.kind === 'service' && relaysIbc(s.config.services.find((x) => x.name === c.name) ?? { name: '' }),
  );
  if (last < 0) return null;
  let secs = s.config.drain_timeout_secs;
  for (const c of s.config.components.slice(0, last + 1)) {
    const contract = s.config.contracts.find((x) => x.name === c.name);
    const service = s.config.services.find((x) => x.name === c.name);
    secs += contract ? contractWorstCaseSecs(contract) : service ? serviceWorstCaseSecs(service) : 0;
  }
  return secs;
}

/**
 * Before draining: an upgrade that redeploys the relayer must not let a pending packet time out meanwhile (the
 * transfer would be refunded and the intent fail). Packets whose timeout falls inside the worst-case window refuse
 * the upgrade, named, unless the request gives override_ibc_timeouts_reason (then it goes ahead, audited).
 */
export async function ibcPreCheck(svc: UpgradeServices, s: WorkflowState) {
  const window = relayerWindowSecs(s);
  if (window === null) return { relayer_redeployed: false };
  const now = svc.clock.now();
  const atRisk: PendingPacket[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const p = await svc.inflight.list({ with_packets: true, limit: 1000, cursor });
    atRisk.push(
      ...pendingPackets(p.intents, now).filter((x) => x.time_left_secs !== null && x.time_left_secs < window),
    );
    if (!p.nextCursor) break;
    cursor = p.nextCursor;
  }
  const summary = { relayer_redeployed: true, window_secs: window, at_risk: atRisk.length };
  if (!atRisk.length) return summary;
  const named = atRisk
    .slice(0, 5)
    .map(
      (x) =>
        `${x.source_port}/${x.source_channel}/${x.sequence} (intent ${x.intent_id}) times out in ${Math.max(0, x.time_left_secs ?? 0)} s`,
    )
    .join('; ');
  const reason = s.config.override_ibc_timeouts_reason;
  if (!reason)
    throw new StepFailure(
      'PreChecksFailed',
      `IBC: ${atRisk.length} pending packet(s) could time out before the relayer is back (worst case ${window} s from now): ${named}${atRisk.length > 5 ? ' …' : ''}. ` +
        'Wait until they are relayed or have timed out (GET /admin/ibc/pending), shorten the upgrade (drain_timeout_secs, the deploy timeouts), or give override_ibc_timeouts_reason to go ahead anyway (audited)',
    );
  await svc.audit.record({
    at: now,
    actor: s.upgrade_id,
    action: 'upgrade.override_ibc_timeouts',
    params: { reason, at_risk: atRisk.length, window_secs: window },
    outcome: 'succeeded',
    message: `going ahead with ${atRisk.length} IBC packet(s) that may time out while the relayer is redeployed: ${reason}`,
    correlationId: s.upgrade_id,
  });
  return { ...summary, overridden: reason };
}
