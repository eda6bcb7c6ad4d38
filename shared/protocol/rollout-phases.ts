import type { ModeState } from '../domain/drain-mode.ts';
import {
  type Conversion,
  conversionFor,
  newConversion,
  type ProtocolRollout,
  type RolloutPhase,
} from './rollout.ts';

/** The mode a phase wants: which version new intents get, and whether `from` is refused (with its sunset). */
export interface WantedVersions {
  readonly running: string;
  readonly deprecateFrom: boolean;
}

export function wantedVersions(r: ProtocolRollout): WantedVersions {
  switch (r.phase) {
    case 'parallel':
    case 'rolling_back':
    case 'rolled_back':
      return { running: r.from, deprecateFrom: false };
    case 'migration':
      return { running: r.to, deprecateFrom: false };
    case 'deprecation':
    case 'removed':
      return { running: r.to, deprecateFrom: true };
  }
}

/** Whether the stored mode already is what the phase wants. */
export function modeMatches(r: ProtocolRollout, mode: ModeState): boolean {
  const want = wantedVersions(r);
  return mode.version === want.running && mode.deprecatedVersions.includes(r.from) === want.deprecateFrom;
}

/** The deprecated versions the phase wants, from those stored. */
export const deprecatedFor = (r: ProtocolRollout, current: readonly string[]): string[] =>
  wantedVersions(r).deprecateFrom ? [...new Set([...current, r.from])] : current.filter((v) => v !== r.from);

/** Moves the rollout into `phase`: its timer, its sunset, a fresh conversion where the phase converts. */
export function enter(
  r: ProtocolRollout,
  phase: RolloutPhase,
  now: number,
  by: string,
  settleMs: number,
  note?: string,
): ProtocolRollout {
  const due =
    phase === 'parallel'
      ? now + r.parallel_secs * 1000
      : phase === 'deprecation'
        ? now + r.deprecation_secs * 1000
        : null;
  const next: ProtocolRollout = {
    ...r,
    phase,
    phase_started_at: now,
    phase_due_at: due,
    sunset_at: phase === 'deprecation' ? due : phase === 'rolling_back' ? null : r.sunset_at,
    waiting: null,
    history: [...r.history, { phase, at: now, by, ...(note ? { note } : {}), ...summary(r.conversion) }],
  };
  const c = conversionFor(next);
  return { ...next, conversion: c ? newConversion(c.from, c.to, now, settleMs) : r.conversion };
}

const summary = (c: Conversion | null) =>
  c ? { converted_before: { converted: c.converted, retried: c.retried, passes: c.passes } } : {};

/** What time (and the end of a conversion) brings: the next phase, or null when the rollout stays where it is. */
export function duePhase(r: ProtocolRollout, now: number): RolloutPhase | null {
  if (r.held) return null;
  const timerEnded = r.phase_due_at !== null && now >= r.phase_due_at;
  const converted = r.conversion?.done === true;
  switch (r.phase) {
    case 'parallel':
      return timerEnded ? 'migration' : null;
    case 'migration':
      return converted ? 'deprecation' : null;
    case 'deprecation':
      return timerEnded && converted ? 'removed' : null;
    case 'rolling_back':
      return converted ? 'rolled_back' : null;
    default:
      return null;
  }
}

/**
 * A conversion after one more page. At a pass's end: the migration phase ends its conversion after one whole pass
 * (begun after the version cache expired); deprecation and rollback after a pass that found nothing to convert.
 */
export function afterPage(
  c: Conversion,
  phase: RolloutPhase,
  page: { converted: number; retried: number; scanned: number; cursor: string | null },
  now: number,
): Conversion {
  const next = {
    ...c,
    converted: c.converted + page.converted,
    retried: c.retried + page.retried,
    scanned: c.scanned + page.scanned,
    pass_converted: c.pass_converted + page.converted,
    cursor: page.cursor,
  };
  if (page.cursor !== null) return next;
  const settled = now >= c.settle_until;
  const done = settled && (phase === 'migration' || next.pass_converted === 0);
  return {
    ...next,
    passes: c.passes + 1,
    pass_converted: done ? next.pass_converted : 0,
    scanned: done ? next.scanned : 0,
    done,
    finished_at: done ? now : null,
  };
}
