import type { Clock } from '../domain/ports.ts';
import type { ProposalStore } from './proposal.ts';
import { presentProposal } from './proposal.ts';
import { announce, type Notifier, type ProposalEvent } from './proposal-notice.ts';
import { ProposalRecords } from './proposal-records.ts';

/**
 * Announces what time alone brought about (a timelock ended, a proposal expired), once each: every minute on AWS
 * (an EventBridge rule) and in the embedded runtime (a timer). Each notice is marked on the proposal before it is
 * sent, by a conditional write, so two sweeps at once send it once. Returns the notices sent.
 */
export async function sweepProposals(
  store: ProposalStore,
  clock: Clock,
  notifier: Notifier,
): Promise<{ id: string; event: ProposalEvent }[]> {
  const records = new ProposalRecords(store, clock);
  const sent: { id: string; event: ProposalEvent }[] = [];
  const now = clock.now();
  for (const p of await store.list(200)) {
    const view = presentProposal(p, now);
    const due: ProposalEvent | null =
      view.state === 'expired'
        ? 'expired'
        : view.state === 'executable' && !p.timelock_waived
          ? 'timelock_ended'
          : null;
    if (!due || p.notified.includes(due)) continue;
    let mine = false;
    const marked = await records
      .mutate(p.id, (cur) => {
        mine = !cur.notified.includes(due);
        return mine ? { ...cur, notified: [...cur.notified, due] } : null;
      })
      .catch(() => null);
    if (!marked || !mine) continue;
    await announce(notifier, due, marked, null);
    sent.push({ id: p.id, event: due });
  }
  return sent;
}
