import { IllegalTransitionError, ValidationError } from './errors.ts';

/** The seeds' drain modes. Intents are admitted only while the fence is open (Active, Resuming). */
export const MODES = ['Active', 'Draining', 'Drained', 'Upgrading', 'Resuming'] as const;
export type Mode = (typeof MODES)[number];

/** Numeric gauge for the `DrainMode` metric (0 active, 1 draining, 2 drained, 3 upgrading, 4 resuming). */
export const MODE_GAUGE: Record<Mode, number> = {
  Active: 0,
  Draining: 1,
  Drained: 2,
  Upgrading: 3,
  Resuming: 4,
};

/** Whether intents may be admitted in this mode: the desired state of every fence gate. */
export const admitsIntents = (mode: Mode): boolean => mode === 'Active' || mode === 'Resuming';

/** The persisted drain-mode record. `rev` bumps on every change; `fenceRev` is the rev at which the gates' desired state last flipped. */
export interface ModeState {
  readonly mode: Mode;
  readonly rev: number;
  readonly fenceRev: number;
  readonly version: string;
  readonly reason: string | null;
  readonly startedAt: number | null;
  readonly deadline: number | null;
  readonly drainTimeoutSecs: number | null;
  readonly targetVersion: string | null;
  readonly forced: boolean;
  /** Protocol versions no longer admitted (set when an upgrade resumes, or by a protocol rollout). */
  readonly deprecatedVersions: readonly string[];
  /** When a deprecated version is removed for good (ms), where a protocol rollout set it: the 426 says it. */
  readonly versionSunsets: Readonly<Record<string, number>>;
  readonly updatedAt: number;
  readonly updatedBy: string;
}

/** The moves an operator or the workflow can ask for. */
export type ModeAction =
  | { kind: 'start_drain'; reason: string; drainTimeoutSecs: number }
  | { kind: 'cancel' }
  | { kind: 'mark_drained' }
  | { kind: 'force' }
  | { kind: 'begin_upgrade'; targetVersion: string }
  | { kind: 'begin_resume'; version: string | null }
  | { kind: 'finish_resume' }
  | { kind: 'set_deprecated'; versions: readonly string[]; sunsets?: Readonly<Record<string, number>> }
  | { kind: 'set_running_version'; version: string };

export const DEFAULT_DRAIN_TIMEOUT_SECS = 1800;
export const MAX_DRAIN_TIMEOUT_SECS = 7 * 24 * 3600;

/** Returns the drain timeout when it is a whole number of seconds in range; throws a ValidationError otherwise. */
export function checkDrainTimeout(secs: number): number {
  if (!Number.isInteger(secs) || secs < 1 || secs > MAX_DRAIN_TIMEOUT_SECS) {
    throw new ValidationError(`drain_timeout_secs must be an integer from 1 to ${MAX_DRAIN_TIMEOUT_SECS}`);
  }
  return secs;
}

/** The first state of a fresh installation. */
export const initialModeState = (version: string, now: number): ModeState => ({
  mode: 'Active',
  rev: 1,
  fenceRev: 1,
  version,
  reason: null,
  startedAt: null,
  deadline: null,
  drainTimeoutSecs: null,
  targetVersion: null,
  forced: false,
  deprecatedVersions: [],
  versionSunsets: {},
  updatedAt: now,
  updatedBy: 'system',
});

/** Why a move is refused from a mode, in the domain's words (the HTTP edge adds which call to make next). */
const HINTS: Record<ModeAction['kind'], Partial<Record<Mode, string>>> = {
  start_drain: {
    Draining: 'a drain is already under way',
    Drained: 'the system is already drained; resume or cancel first',
    Upgrading: 'an upgrade is in progress; it must resume first',
    Resuming: 'a resume is in progress',
  },
  cancel: {
    Active: 'there is no drain to cancel',
    Upgrading: 'an upgrade is in progress; it must roll back or resume',
    Resuming: 'a resume is in progress',
  },
  mark_drained: {},
  force: {
    Active: 'there is no drain to force',
    Drained: 'the system is already drained',
    Upgrading: 'an upgrade is in progress',
    Resuming: 'a resume is in progress',
  },
  begin_upgrade: {},
  begin_resume: {
    Active: 'the system is already admitting intents',
    Draining: 'a drain is under way',
  },
  finish_resume: {},
  set_deprecated: {},
  set_running_version: {
    Draining: 'a drain is under way; the version changes once intents are admitted again',
    Drained: 'the system is drained; the version changes once intents are admitted again',
    Upgrading: 'an upgrade is in progress',
    Resuming: 'a resume is in progress',
  },
};

const refuse = (from: Mode, action: ModeAction['kind']): never => {
  const hint = HINTS[action][from] ?? `allowed only from ${allowedFrom(action).join(' or ')}`;
  throw new IllegalTransitionError(from, action.replace('_', ' '), hint);
};

const ALLOWED: Record<ModeAction['kind'], readonly Mode[]> = {
  start_drain: ['Active'],
  cancel: ['Draining', 'Drained'],
  mark_drained: ['Draining'],
  force: ['Draining'],
  begin_upgrade: ['Drained'],
  begin_resume: ['Drained', 'Upgrading', 'Resuming'],
  finish_resume: ['Resuming'],
  set_deprecated: MODES,
  set_running_version: ['Active'],
};

/** The modes from which an action is legal (for messages and the transition table test). */
export const allowedFrom = (action: ModeAction['kind']): readonly Mode[] => ALLOWED[action];

/**
 * Pure transition function: the next state for an action, or an IllegalTransitionError naming the move.
 * The caller persists the result with a conditional write on `rev`, so two concurrent callers cannot both win.
 */
export function transition(state: ModeState, action: ModeAction, actor: string, now: number): ModeState {
  if (!ALLOWED[action.kind].includes(state.mode)) refuse(state.mode, action.kind);
  const rev = state.rev + 1;
  const base = { ...state, rev, updatedAt: now, updatedBy: actor };
  switch (action.kind) {
    case 'start_drain': {
      const secs = action.drainTimeoutSecs;
      if (!Number.isInteger(secs) || secs < 1 || secs > MAX_DRAIN_TIMEOUT_SECS) {
        throw new ValidationError(
          `drain_timeout_secs must be an integer from 1 to ${MAX_DRAIN_TIMEOUT_SECS}`,
        );
      }
      return {
        ...base,
        mode: 'Draining',
        fenceRev: rev,
        reason: action.reason,
        startedAt: now,
        deadline: now + secs * 1000,
        drainTimeoutSecs: secs,
        targetVersion: null,
        forced: false,
      };
    }
    case 'cancel':
      return {
        ...base,
        mode: 'Active',
        fenceRev: rev,
        reason: null,
        startedAt: null,
        deadline: null,
        forced: false,
      };
    case 'mark_drained':
      return { ...base, mode: 'Drained' };
    case 'force':
      return { ...base, mode: 'Drained', forced: true };
    case 'begin_upgrade':
      return { ...base, mode: 'Upgrading', targetVersion: action.targetVersion };
    case 'begin_resume': {
      const fenceRev = state.mode === 'Resuming' ? state.fenceRev : rev;
      return {
        ...base,
        mode: 'Resuming',
        fenceRev,
        version: action.version ?? state.version,
        targetVersion: null,
      };
    }
    case 'finish_resume':
      return { ...base, mode: 'Active', reason: null, startedAt: null, deadline: null, forced: false };
    case 'set_deprecated': {
      const versions = [...new Set(action.versions)];
      const sunsets = { ...state.versionSunsets, ...action.sunsets };
      const kept = Object.entries(sunsets).filter(([v]) => versions.includes(v));
      return { ...base, deprecatedVersions: versions, versionSunsets: Object.fromEntries(kept) };
    }
    case 'set_running_version':
      // The gates stay open and take the new version: a new fence rev makes every gate rewrite it.
      return { ...base, version: action.version, fenceRev: rev };
  }
}
