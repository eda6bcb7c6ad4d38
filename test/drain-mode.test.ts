import { describe, expect, it } from 'vitest';
import {
  admitsIntents,
  initialModeState,
  MODES,
  type Mode,
  type ModeAction,
  type ModeState,
  transition,
} from '../shared/domain/drain-mode.ts';
import { IllegalTransitionError, ValidationError } from '../shared/domain/errors.ts';

const at = (mode: Mode): ModeState => ({ ...initialModeState('1.0.0', 1000), mode, rev: 7, fenceRev: 5 });

const ACTIONS: ModeAction[] = [
  { kind: 'start_drain', reason: 'upgrade', drainTimeoutSecs: 60 },
  { kind: 'cancel' },
  { kind: 'mark_drained' },
  { kind: 'force' },
  { kind: 'begin_upgrade', targetVersion: '2.0.0' },
  { kind: 'begin_resume', version: '2.0.0' },
  { kind: 'finish_resume' },
  { kind: 'set_deprecated', versions: ['0.9.0'] },
  { kind: 'set_running_version', version: '2.0.0' },
];

/** The whole table: for each (mode, action), the resulting mode or null where the move is illegal. */
/** 'SAME': legal in every mode and leaves the mode as it is. */
const EXPECTED: Record<Mode, Record<ModeAction['kind'], Mode | null | 'SAME'>> = {
  Active: {
    start_drain: 'Draining',
    cancel: null,
    mark_drained: null,
    force: null,
    begin_upgrade: null,
    begin_resume: null,
    finish_resume: null,
    set_deprecated: 'SAME',
    set_running_version: 'SAME',
  },
  Draining: {
    start_drain: null,
    cancel: 'Active',
    mark_drained: 'Drained',
    force: 'Drained',
    begin_upgrade: null,
    begin_resume: null,
    finish_resume: null,
    set_deprecated: 'SAME',
    set_running_version: null,
  },
  Drained: {
    start_drain: null,
    cancel: 'Active',
    mark_drained: null,
    force: null,
    begin_upgrade: 'Upgrading',
    begin_resume: 'Resuming',
    finish_resume: null,
    set_deprecated: 'SAME',
    set_running_version: null,
  },
  Upgrading: {
    start_drain: null,
    cancel: null,
    mark_drained: null,
    force: null,
    begin_upgrade: null,
    begin_resume: 'Resuming',
    finish_resume: null,
    set_deprecated: 'SAME',
    set_running_version: null,
  },
  Resuming: {
    start_drain: null,
    cancel: null,
    mark_drained: null,
    force: null,
    begin_upgrade: null,
    begin_resume: 'Resuming',
    finish_resume: 'Active',
    set_deprecated: 'SAME',
    set_running_version: null,
  },
};

describe('drain mode transition table', () => {
  for (const mode of MODES) {
    for (const action of ACTIONS) {
      const cell = EXPECTED[mode][action.kind];
      const expected = cell === 'SAME' ? mode : cell;
      it(`${mode} --${action.kind}--> ${expected ?? 'refused'}`, () => {
        const from = at(mode);
        if (expected === null) {
          expect(() => transition(from, action, 'op', 2000)).toThrow(IllegalTransitionError);
          try {
            transition(from, action, 'op', 2000);
          } catch (err) {
            expect((err as Error).message).toContain(`while mode is ${mode}`);
          }
          return;
        }
        const next = transition(from, action, 'op', 2000);
        expect(next.mode).toBe(expected);
        expect(next.rev).toBe(from.rev + 1);
        expect(next.updatedBy).toBe('op');
        // The fence rev moves exactly when the gates' desired state flips, or their version changes while open.
        const flips = admitsIntents(mode) !== admitsIntents(expected);
        const newVersion = action.kind === 'set_running_version';
        expect(next.fenceRev).toBe(flips || newVersion ? next.rev : from.fenceRev);
      });
    }
  }

  it('start drain records reason, start and deadline', () => {
    const next = transition(at('Active'), ACTIONS[0] as ModeAction, 'op', 10_000);
    expect(next).toMatchObject({
      reason: 'upgrade',
      startedAt: 10_000,
      deadline: 70_000,
      drainTimeoutSecs: 60,
    });
  });

  it('refuses a drain timeout that is not a positive whole number of seconds', () => {
    for (const bad of [0, -1, 1.5, 10 ** 9]) {
      expect(() =>
        transition(at('Active'), { kind: 'start_drain', reason: 'x', drainTimeoutSecs: bad }, 'op', 0),
      ).toThrow(ValidationError);
    }
  });

  it('resume sets the new version; without one it keeps the running version', () => {
    expect(transition(at('Drained'), { kind: 'begin_resume', version: '2.1.0' }, 'op', 0).version).toBe(
      '2.1.0',
    );
    expect(transition(at('Drained'), { kind: 'begin_resume', version: null }, 'op', 0).version).toBe('1.0.0');
  });

  it('force marks the drained state as forced', () => {
    expect(transition(at('Draining'), { kind: 'force' }, 'op', 0).forced).toBe(true);
  });
});
