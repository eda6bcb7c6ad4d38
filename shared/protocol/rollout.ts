/**
 * A protocol rollout: seed 001's Procedure 3, a protocol version moved without a drain. Its phases, in order:
 * - `parallel`: `from` and `to` are both admitted, each intent stamped with the version it was registered for;
 * - `migration`: new intents are stamped `to`, and the `from` intents still inflight are converted in place;
 * - `deprecation`: `from` registrations get 426 upgrade_required with the sunset time; stragglers are converted;
 * - `removed`: the end. `from` stays refused.
 * Before `removed` an operator may hold the rollout (its timer and its conversion stop) or roll it back
 * (`rolling_back`: `from` is the running version again and the `to` intents are converted back; then `rolled_back`).
 */
export const ROLLOUT_PHASES = [
  'parallel',
  'migration',
  'deprecation',
  'removed',
  'rolling_back',
  'rolled_back',
] as const;
export type RolloutPhase = (typeof ROLLOUT_PHASES)[number];

/** Phases after which nothing moves: the rollout no longer blocks another. */
export const FINISHED: readonly RolloutPhase[] = ['removed', 'rolled_back'];
/** Phases an operator may roll back from. */
export const REVERSIBLE: readonly RolloutPhase[] = ['parallel', 'migration', 'deprecation'];

/** A pass over the inflight intents converting one version to another, resumable from its cursor. */
export interface Conversion {
  readonly from: string;
  readonly to: string;
  /** Intents converted so far (all passes). */
  readonly converted: number;
  /** Conversions that met a concurrent write and were redone from what it wrote. */
  readonly retried: number;
  /** Intents read so far in the current pass. */
  readonly scanned: number;
  /** Where the current pass goes on (null: at its start). */
  readonly cursor: string | null;
  /** Completed passes; a pass that converts none (after the version cache has expired) ends the conversion. */
  readonly passes: number;
  /** Converted in the current pass. */
  readonly pass_converted: number;
  /** Not before this time (ms) does a pass count as the last: registrations may still carry a cached version. */
  readonly settle_until: number;
  readonly done: boolean;
  readonly started_at: number;
  readonly finished_at: number | null;
}

export interface PhaseChange {
  readonly phase: RolloutPhase;
  readonly at: number;
  readonly by: string;
  readonly note?: string;
  /** What the previous phase's conversion did, when it had one. */
  readonly converted_before?: {
    readonly converted: number;
    readonly retried: number;
    readonly passes: number;
  };
}

export interface ProtocolRollout {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly parallel_secs: number;
  readonly deprecation_secs: number;
  readonly phase: RolloutPhase;
  readonly phase_started_at: number;
  /** When the current phase's timer ends (ms); null where a phase ends when its conversion does. */
  readonly phase_due_at: number | null;
  /** When `from` is removed: set when deprecation begins. */
  readonly sunset_at: number | null;
  readonly held: { readonly at: number; readonly by: string; readonly reason: string } | null;
  readonly conversion: Conversion | null;
  /** Why the rollout could not move on its last attempt (an upgrade owns the mode, a drain), else null. */
  readonly waiting: string | null;
  readonly history: readonly PhaseChange[];
  readonly created_at: number;
  readonly created_by: string;
  readonly reason: string;
  /** Bumped on every write; each write is conditional on the one it read. */
  readonly rev: number;
}

/** A create refused: another rollout is unfinished, or an upgrade that changes the running version holds the lock. */
export type CreateOutcome =
  | { readonly created: true }
  | { readonly created: false; readonly active: string }
  | { readonly created: false; readonly upgrade: string };

/** Where rollouts are kept. Every write is conditional: two ticks, or a tick and an operator, never both win. */
export interface RolloutStore {
  /** Stores a new rollout unless another is unfinished, or an upgrade changing the running version runs. */
  create(r: ProtocolRollout): Promise<CreateOutcome>;
  get(id: string): Promise<ProtocolRollout | null>;
  /** The unfinished rollout, if any. */
  active(): Promise<ProtocolRollout | null>;
  list(limit: number): Promise<ProtocolRollout[]>;
  /** Writes `next` if the stored rev is still `next.rev - 1`; a finished rollout releases the active slot. */
  replace(next: ProtocolRollout): Promise<boolean>;
}

export const MAX_PHASE_SECS = 90 * 24 * 3600;

/** The conversion a phase runs, if any: forward in migration and deprecation, backward while rolling back. */
export function conversionFor(r: ProtocolRollout): { from: string; to: string } | null {
  if (r.phase === 'migration' || r.phase === 'deprecation') return { from: r.from, to: r.to };
  if (r.phase === 'rolling_back') return { from: r.to, to: r.from };
  return null;
}

/** A fresh conversion pass. */
export const newConversion = (from: string, to: string, now: number, settleMs: number): Conversion => ({
  from,
  to,
  converted: 0,
  retried: 0,
  scanned: 0,
  cursor: null,
  passes: 0,
  pass_converted: 0,
  settle_until: now + settleMs,
  done: false,
  started_at: now,
  finished_at: null,
});
