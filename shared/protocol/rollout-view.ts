import type { ProtocolRollout } from './rollout.ts';

/** A stored time (ms) as the API shows it: ISO 8601, or null when unset. */
export const isoTime = (ms: number | null | undefined): string | null =>
  ms === null || ms === undefined ? null : new Date(ms).toISOString();

/** A rollout as the API, the CLI and the console show it: times in ISO, and what happens next, in words. */
export interface RolloutView extends ProtocolRollout {
  readonly next: string;
  readonly times: {
    readonly phase_started: string | null;
    readonly phase_due: string | null;
    readonly sunset: string | null;
  };
}

export function presentRollout(r: ProtocolRollout, now: number): RolloutView {
  return {
    ...r,
    next: nextStep(r, now),
    times: {
      phase_started: isoTime(r.phase_started_at),
      phase_due: isoTime(r.phase_due_at),
      sunset: isoTime(r.sunset_at),
    },
  };
}

function nextStep(r: ProtocolRollout, now: number): string {
  if (r.held)
    return `held by ${r.held.by} (${r.held.reason}): POST /admin/protocol/rollouts/${r.id}/continue to go on`;
  if (r.waiting) return `waiting: ${r.waiting}`;
  const secs = (t: number | null) => (t === null ? 0 : Math.max(0, Math.ceil((t - now) / 1000)));
  const c = r.conversion;
  const progress = c ? `${c.converted} converted (pass ${c.passes + 1}, ${c.scanned} read)` : '';
  switch (r.phase) {
    case 'parallel':
      return `migration phase in ${secs(r.phase_due_at)} s`;
    case 'migration':
      return `converting ${r.from} intents to ${r.to}: ${progress}; deprecation when done`;
    case 'deprecation':
      return c?.done
        ? `removal in ${secs(r.phase_due_at)} s`
        : `refusing ${r.from}; converting stragglers: ${progress}; removal in ${secs(r.phase_due_at)} s at the earliest`;
    case 'rolling_back':
      return `converting ${r.to} intents back to ${r.from}: ${progress}`;
    default:
      return 'nothing: the rollout is finished';
  }
}
