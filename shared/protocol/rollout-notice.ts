import type { Announcement, Notifier } from '../domain/announcement.ts';
import type { ProtocolRollout } from './rollout.ts';
import { isoTime } from './rollout-view.ts';

export type RolloutNotifier = Notifier;

const iso = (ms: number | null) => isoTime(ms) ?? 'not set';

/** What each phase means for producers, in the announcement. */
const MEANING: Record<ProtocolRollout['phase'], (r: ProtocolRollout) => string> = {
  parallel: (r) =>
    `Both ${r.from} and ${r.to} are admitted; move producers to ${r.to}. The migration phase begins ${iso(r.phase_due_at)}.`,
  migration: (r) =>
    `New intents are stamped ${r.to}; the ${r.from} intents still inflight are being converted in place. ${r.from} is still admitted.`,
  deprecation: (r) =>
    `${r.from} registrations are refused with 426 upgrade_required. Sunset (removal): ${iso(r.sunset_at)}.`,
  removed: (r) => `${r.from} is removed; ${r.to} is the protocol.`,
  rolling_back: (r) =>
    `Rolling back: ${r.from} is admitted and stamped again; the ${r.to} intents are being converted back.`,
  rolled_back: (r) => `Rolled back: the protocol is ${r.from} again.`,
};

/** The announcement of one event of a rollout (a phase change, a hold, a continue), as proposals announce theirs. */
export function rolloutNotice(event: string, r: ProtocolRollout, by: string): Announcement {
  const held = r.held ? `Held since ${iso(r.held.at)} by ${r.held.by}: ${r.held.reason}` : null;
  const lines = [
    `Protocol rollout ${r.id} (${r.from} -> ${r.to}): ${event}${by ? ` (${by})` : ''}.`,
    '',
    `Phase: ${r.phase}. ${MEANING[r.phase](r)}`,
    ...(held ? [held] : []),
    `Reason: ${r.reason}`,
    '',
    `Details: GET /admin/protocol/rollouts/${r.id}; hold: POST /admin/protocol/rollouts/${r.id}/hold; roll back: POST /admin/protocol/rollouts/${r.id}/rollback`,
  ];
  return {
    event,
    rollout_id: r.id,
    subject: `Protocol ${r.from} -> ${r.to}: ${event}, phase ${r.phase}`.slice(0, 99),
    message: lines.join('\n'),
  };
}
