import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import type { CurrentState } from './execution-journal.ts';

/** Prefix of the stand-in state a resumed execution starts at, when the saved state was a wait. */
const RESUMED = 'Resumed: ';

/** The state's own name, for a stand-in state of a resumed execution. */
export const originalStateName = (name: string): string =>
  name.startsWith(RESUMED) ? name.slice(RESUMED.length) : name;

/** How a resumed execution starts. */
export interface ResumePlan {
  readonly definition: StateMachineDefinition;
  readonly input: unknown;
  /** The stand-in of a Wait: how long it still waits (ms). */
  readonly waitOverrides: Record<string, number>;
  /** The stand-in of a callback Task whose function already ran: only the wait is left. */
  readonly preparedCallback: string | null;
}

type AnyState = Record<string, unknown> & { Type: string };

/** Looks up `$.a.b.c` in a JSON value (the only JSONPath form the ASL uses for timeouts and waits). */
function lookup(path: string, input: unknown): unknown {
  if (!path.startsWith('$.')) return undefined;
  let v: unknown = input;
  for (const key of path.slice(2).split('.')) v = (v as Record<string, unknown> | null)?.[key];
  return v;
}

/**
 * A copy of the definition that starts where the saved execution stood: `StartAt` is the saved state, run again
 * with its saved input (a Task runs again: at least once, as Step Functions re-runs a Task whose Lambda died). A
 * Wait, or a callback Task whose function had recorded the token, becomes a stand-in state that waits only what
 * was left; the execution's own timeout counts from its first start.
 */
export function resumeDefinition(
  base: StateMachineDefinition,
  current: CurrentState | null,
  executionInput: unknown,
  startedAt: number,
  now: number,
): ResumePlan {
  const definition = structuredClone(base) as StateMachineDefinition & { TimeoutSeconds?: number };
  if (definition.TimeoutSeconds)
    definition.TimeoutSeconds = Math.max(1, definition.TimeoutSeconds - Math.floor((now - startedAt) / 1000));
  if (!current) return { definition, input: executionInput, waitOverrides: {}, preparedCallback: null };
  const states = definition.States as Record<string, AnyState>;
  const state = states[current.state];
  if (!state) throw new Error(`the state machine has no state "${current.state}" any more`);
  const plan = { definition, input: current.input, waitOverrides: {}, preparedCallback: null };
  const stand = `${RESUMED}${current.state}`.slice(0, 80);
  const callback = state.Type === 'Task' && String(state.Resource).endsWith('.waitForTaskToken');
  if (state.Type === 'Wait') {
    const secs = Number(state.Seconds ?? lookup(String(state.SecondsPath), current.input) ?? 0);
    states[stand] = { ...state };
    definition.StartAt = stand;
    const left = Math.max(0, current.entered_at + secs * 1000 - now);
    return { ...plan, waitOverrides: { [stand]: left } };
  }
  if (callback && current.callback_ready_at) {
    // TimeoutSecondsPath is looked up in the effective input locally (see adaptTimeoutPaths): `$.Payload.x` is `$.x`.
    const path = String(state.TimeoutSecondsPath ?? '').replace(/^\$\.Payload\./, '$.');
    const secs = Number(state.TimeoutSeconds ?? lookup(path, current.input) ?? 60);
    const { TimeoutSecondsPath: _path, ...rest } = state;
    const left = Math.ceil((current.entered_at + secs * 1000 - now) / 1000);
    states[stand] = { ...rest, TimeoutSeconds: Math.max(1, left) };
    definition.StartAt = stand;
    return { ...plan, preparedCallback: stand };
  }
  definition.StartAt = current.state;
  return plan;
}
