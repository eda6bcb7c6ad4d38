import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { atTime } from '../../shared/upgrade/maintenance-window.ts';
import { type ScheduleStore, scheduledInput, type UpgradeSchedule } from '../../shared/upgrade/schedules.ts';
import type { WorkflowEngine } from '../../shared/upgrade/workflow-engine.ts';
import { type FarTimer, fireAt } from './far-timer.ts';

/** A schedule found overdue at start is still started if it is at most this late (EventBridge's retry window). */
const LATE_START_MS = 3600_000;

const whenOf = (expression: string) => atTime(/^at\((.+)\)$/.exec(expression)?.[1] ?? '') ?? 0;

export interface LocalScheduleOptions {
  /** Where the schedules are kept (the data folder's schedules.json); none: in memory only. */
  readonly file?: string;
  readonly now?: () => number;
  readonly log?: (line: string) => void;
}

/**
 * Schedules of the embedded runtime: there is no local EventBridge Scheduler, so one-time `at(...)` schedules are
 * timers in this process that start the same state machine with the same input. They are kept in the data folder,
 * re-armed at start (one overdue by at most an hour starts then; older ones are reported MISSED), and kept after
 * firing, as FIRED, so the list says what became of them. Weekly cron schedules need EventBridge Scheduler.
 */
export class LocalScheduleStore implements ScheduleStore {
  readonly kind = 'local' as const;
  private readonly schedules = new Map<string, UpgradeSchedule>();
  private readonly timers = new Map<string, FarTimer>();
  private readonly now: () => number;

  constructor(
    private readonly engine: () => WorkflowEngine,
    private readonly opts: LocalScheduleOptions = {},
  ) {
    this.now = opts.now ?? Date.now;
    if (opts.file && existsSync(opts.file)) {
      for (const s of JSON.parse(readFileSync(opts.file, 'utf8')) as UpgradeSchedule[]) {
        this.schedules.set(s.name, s);
        if (s.state !== 'ENABLED') continue;
        if (whenOf(s.expression) < this.now() - LATE_START_MS) {
          this.schedules.set(s.name, {
            ...s,
            state: 'MISSED',
            note: 'the local runtime was not running when it was due (more than an hour ago); nothing was started',
          });
        } else this.arm(s);
      }
      this.save();
    }
  }

  async create(s: { name: string; expression: string; request: Record<string, unknown> }): Promise<void> {
    const schedule = { ...s, created_at: new Date(this.now()).toISOString(), state: 'ENABLED' };
    this.schedules.set(s.name, schedule);
    this.save();
    this.arm(schedule);
  }

  async list(): Promise<UpgradeSchedule[]> {
    return [...this.schedules.values()];
  }

  async delete(name: string): Promise<boolean> {
    if (!this.schedules.has(name)) return false;
    this.timers.get(name)?.cancel();
    this.timers.delete(name);
    this.schedules.delete(name);
    this.save();
    return true;
  }

  /**
   * Disarms every timer (the runtime is stopping): a schedule due meanwhile stays ENABLED in the file and starts at
   * the next start, instead of firing into a runtime that refuses it and being kept as FIRED.
   */
  stop(): void {
    for (const timer of this.timers.values()) timer.cancel();
    this.timers.clear();
  }

  private arm(s: UpgradeSchedule): void {
    const timer = fireAt(whenOf(s.expression), () => this.fire(s), this.now);
    this.timers.set(s.name, timer);
  }

  private fire(s: UpgradeSchedule): void {
    this.timers.delete(s.name);
    this.schedules.set(s.name, { ...s, state: 'FIRED' });
    this.save();
    void this.engine()
      .start(`${s.name}-${this.now()}`, scheduledInput(s.name, s.request))
      .catch((err: Error) => {
        this.schedules.set(s.name, { ...s, state: 'FIRED', note: `could not start: ${err.message}` });
        this.save();
        (this.opts.log ?? console.error)(`[local] schedule ${s.name} could not start: ${err.message}`);
      });
  }

  private save(): void {
    if (!this.opts.file) return;
    const tmp = `${this.opts.file}.tmp`;
    writeFileSync(tmp, JSON.stringify([...this.schedules.values()], null, 1));
    renameSync(tmp, this.opts.file);
  }
}
