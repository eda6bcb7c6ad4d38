import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import type { ExecutionEvent } from '../../shared/upgrade/workflow-engine.ts';
import type { SavedExecution } from './execution-journal.ts';
import { originalStateName } from './resume-definition.ts';

/** A workflow Task's function, as the local interpreter calls it. */
export type TaskFn = (input: unknown) => Promise<unknown>;

/** A Task's function inside the engine's guard: `ready(ok)` says its own work is done (a callback then waits). */
export type GuardedTask = (input: unknown, ready: (ok: boolean) => void) => Promise<unknown>;

/** One execution of the local engine: what is saved, plus its history and its handle in this process. */
export interface Run extends Omit<SavedExecution, 'current' | 'resumed'> {
  status: SavedExecution['status'];
  stopDate: string | null;
  output: unknown;
  error: string | null;
  cause: string | null;
  current: SavedExecution['current'];
  resumed: number;
  events: ExecutionEvent[];
  abort: () => void;
  finished: Promise<void>;
}

/** An interpreter event as an operator reads it (a resumed stand-in state under its own name). */
export function toEvent(e: Record<string, unknown>): ExecutionEvent {
  const name = (e.state as { name?: string } | undefined)?.name;
  return {
    timestamp: new Date(Number(e.timestamp)).toISOString(),
    type: String(e.type),
    state: name ? originalStateName(name) : null,
    error: typeof e.Error === 'string' ? e.Error : null,
    cause: e.Cause === undefined ? null : String(e.Cause),
  };
}

/**
 * aws-local-stepfunctions 3.0.0 resolves a Task's TimeoutSecondsPath against its effective input (after
 * Parameters), where AWS resolves it against the state input. For a callback Task whose Parameters carry the state
 * in `Payload`, the local copy of the definition looks the path up inside `Payload`: same value, both engines.
 */
export function adaptTimeoutPaths(definition: StateMachineDefinition): StateMachineDefinition {
  for (const state of Object.values(definition.States)) {
    const t = state as { Type: string; TimeoutSecondsPath?: string; Parameters?: { Payload?: unknown } };
    if (t.Type === 'Task' && t.TimeoutSecondsPath?.startsWith('$.') && t.Parameters?.Payload) {
      t.TimeoutSecondsPath = `$.Payload.${t.TimeoutSecondsPath.slice(2)}`;
    }
  }
  return definition;
}
