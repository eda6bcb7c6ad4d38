import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { ExecutionEvent, ExecutionStatus } from '../../shared/upgrade/workflow-engine.ts';

/** The state an execution was in when it was last saved: where a resume starts. */
export interface CurrentState {
  readonly state: string;
  /** The state's raw input (as the StateEntered event carries it). */
  readonly input: unknown;
  /** When the state was entered (ms): a resumed Wait or callback waits only what is left. */
  readonly entered_at: number;
  /** A callback Task: when its function had recorded the task token, so a resume only waits. */
  readonly callback_ready_at?: number;
}

/** What the embedded runtime keeps of one execution in the data folder. */
export interface SavedExecution {
  readonly name: string;
  readonly arn: string;
  readonly input: unknown;
  readonly status: ExecutionStatus;
  readonly startDate: string;
  readonly stopDate: string | null;
  readonly output: unknown;
  readonly error: string | null;
  readonly cause: string | null;
  readonly current: CurrentState | null;
  /** How often this execution was resumed after the runtime stopped. */
  readonly resumed: number;
}

const safeName = (name: string) => name.replace(/[^A-Za-z0-9._-]/g, '_');

/**
 * Executions of the local interpreter saved under `<dataDir>/executions/`: `<name>.json` (the execution and its
 * current state, written atomically: a temporary file renamed over it) and `<name>.events.jsonl` (its history,
 * appended one event a line; a line cut short by a crash is skipped on load).
 */
export class ExecutionJournal {
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  save(e: SavedExecution): void {
    const file = join(this.dir, `${safeName(e.name)}.json`);
    writeFileSync(`${file}.tmp`, JSON.stringify(e));
    renameSync(`${file}.tmp`, file);
  }

  appendEvent(name: string, event: ExecutionEvent): void {
    appendFileSync(join(this.dir, `${safeName(name)}.events.jsonl`), `${JSON.stringify(event)}\n`);
  }

  /** Every saved execution with its events; unreadable files are reported, not fatal. */
  loadAll(
    onError: (file: string, err: Error) => void,
  ): { saved: SavedExecution; events: ExecutionEvent[] }[] {
    const out: { saved: SavedExecution; events: ExecutionEvent[] }[] = [];
    for (const file of readdirSync(this.dir)) {
      if (!file.endsWith('.json')) continue;
      try {
        const saved = JSON.parse(readFileSync(join(this.dir, file), 'utf8')) as SavedExecution;
        out.push({ saved, events: this.events(saved.name) });
      } catch (err) {
        onError(file, err as Error);
      }
    }
    return out;
  }

  private events(name: string): ExecutionEvent[] {
    const file = join(this.dir, `${safeName(name)}.events.jsonl`);
    if (!existsSync(file)) return [];
    const events: ExecutionEvent[] = [];
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!line) continue;
      try {
        events.push(JSON.parse(line) as ExecutionEvent);
      } catch {
        // the last line, cut short by a crash
      }
    }
    return events;
  }
}
