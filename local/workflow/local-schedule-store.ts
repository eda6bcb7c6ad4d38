import type { ScheduleStore, UpgradeSchedule } from '../../shared/upgrade/schedules.ts';
import type { WorkflowEngine } from '../../shared/upgrade/workflow-engine.ts';

/** The next-minute precision of an at() expression, as a timestamp. */
const atTime = (expression: string) => Date.parse(`${/^at\((.+)\)$/.exec(expression)?.[1] ?? ''}Z`);

/**
 * Schedules of the embedded runtime: there is no local EventBridge Scheduler, so one-time `at(...)` schedules are
 * timers in this process that start the same state machine with the same `{request}` input. They do not survive a
 * restart; weekly cron schedules need EventBridge Scheduler (deploy to AWS).
 */
export class LocalScheduleStore implements ScheduleStore {
  readonly kind = 'local' as const;
  private readonly schedules = new Map<string, { schedule: UpgradeSchedule; timer: NodeJS.Timeout }>();

  constructor(private readonly engine: () => WorkflowEngine) {}

  async create(s: { name: string; expression: string; request: Record<string, unknown> }): Promise<void> {
    const delay = Math.max(0, atTime(s.expression) - Date.now());
    const timer = setTimeout(() => {
      this.schedules.delete(s.name);
      void this.engine()
        .start(`${s.name}-${Date.now()}`, { scheduled: true, request: s.request })
        .catch((err: Error) => console.error(`[local] schedule ${s.name} could not start: ${err.message}`));
    }, delay);
    timer.unref();
    const schedule = { ...s, created_at: new Date().toISOString(), state: 'ENABLED' };
    this.schedules.set(s.name, { schedule, timer });
  }

  async list(): Promise<UpgradeSchedule[]> {
    return [...this.schedules.values()].map((v) => v.schedule);
  }

  async delete(name: string): Promise<boolean> {
    const entry = this.schedules.get(name);
    if (!entry) return false;
    clearTimeout(entry.timer);
    this.schedules.delete(name);
    return true;
  }
}
