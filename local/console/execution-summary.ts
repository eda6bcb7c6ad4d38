import type { ExecutionEvent } from '../../shared/upgrade/workflow-engine.ts';

/** How far an execution got in one state: entered (still there), left, or failed (its last entry failed). */
export type StateOutcome = 'entered' | 'exited' | 'failed';

/** What the console colours on the workflow graph, from an execution's history. */
export interface ExecutionSummary {
  /** RUNNING until an Execution* event ends it: SUCCEEDED, FAILED, ABORTED or TIMED_OUT. */
  readonly status: string;
  /** The state entered last (where a running execution is; where an ended one stopped). */
  readonly current: string | null;
  /** Every state entered, with the outcome of its latest entry and how many times it was entered. */
  readonly states: Record<string, { outcome: StateOutcome; entries: number }>;
  /** Transitions taken, each once, in the order first taken. */
  readonly transitions: readonly { from: string; to: string }[];
  readonly error: string | null;
  readonly cause: string | null;
}

const ENDINGS: Record<string, string> = {
  ExecutionSucceeded: 'SUCCEEDED',
  ExecutionFailed: 'FAILED',
  ExecutionAborted: 'ABORTED',
  ExecutionTimedOut: 'TIMED_OUT',
};

/**
 * Folds the history into the graph's colours; a long drain or bake has thousands of events, the summary a few
 * lines per state, so the page polls it cheaply.
 */
export function summariseExecution(events: readonly ExecutionEvent[]): ExecutionSummary {
  const states: Record<string, { outcome: StateOutcome; entries: number }> = {};
  const seen = new Set<string>();
  const transitions: { from: string; to: string }[] = [];
  let current: string | null = null;
  let status = 'RUNNING';
  let error: string | null = null;
  let cause: string | null = null;
  for (const e of events) {
    const ending = ENDINGS[e.type];
    if (ending) {
      status = ending;
      error = e.error;
      cause = e.cause;
      continue;
    }
    if (!e.state) continue;
    if (e.type === 'StateEntered') {
      if (current !== null && !seen.has(`${current}\n${e.state}`)) {
        seen.add(`${current}\n${e.state}`);
        transitions.push({ from: current, to: e.state });
      }
      const before = states[e.state];
      states[e.state] = { outcome: 'entered', entries: (before?.entries ?? 0) + 1 };
      current = e.state;
    } else if (e.type === 'StateExited' || e.type === 'StateFailed' || e.type === 'StateCaught') {
      const before = states[e.state];
      // A failure of this entry stays a failure, whatever the interpreter records after it.
      if (before && before.outcome !== 'failed')
        before.outcome = e.type === 'StateExited' ? 'exited' : 'failed';
    }
  }
  return { status, current, states, transitions, error, cause };
}
