import { audited, type Caller } from '../domain/audited.ts';
import { ConflictError, NotFoundError, UnsupportedError, ValidationError } from '../domain/errors.ts';
import type { AuditLog, Clock } from '../domain/ports.ts';
import { checkScheduleExpression, parseWindows } from './maintenance-window.ts';
import type { ScheduleStore, UpgradeSchedule } from './schedules.ts';
import type { UpgradeStore } from './upgrade-record.ts';

/** How many recent upgrades are searched for each schedule's last firing. */
const HISTORY_WINDOW = 50;

const NAME_PATTERN = /^[A-Za-z0-9_-]{1,48}$/;

/** Scheduled upgrades: checked against the maintenance windows, audited, kept by the schedule store. */
export class ScheduleService {
  constructor(
    private readonly store: () => ScheduleStore,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly windows: string | undefined,
    private readonly upgrades?: UpgradeStore,
  ) {}

  async create(
    caller: Caller,
    name: string,
    expression: string,
    request: Record<string, unknown>,
  ): Promise<UpgradeSchedule> {
    if (!NAME_PATTERN.test(name)) throw new ValidationError('name must be 1-48 letters, digits, _ or -');
    const checked = checkScheduleExpression(expression, parseWindows(this.windows), this.clock.now());
    const store = this.store();
    if (store.kind === 'local' && checked.startsWith('cron(')) {
      throw new UnsupportedError(
        'not_available_locally',
        'weekly cron schedules need EventBridge Scheduler: deploy to AWS; locally use at(...)',
      );
    }
    return audited(
      this.audit,
      this.clock,
      caller,
      'upgrade.schedule.create',
      { name, expression, request },
      async () => {
        if ((await store.list()).some((s) => s.name === name))
          throw new ConflictError('schedule_exists', `a schedule named ${name} exists already`);
        await store.create({ name, expression: checked, request });
        return {
          name,
          expression: checked,
          request,
          created_at: new Date(this.clock.now()).toISOString(),
          state: 'ENABLED',
        };
      },
      (s) => `scheduled upgrade ${s.name} at ${s.expression}`,
    );
  }

  /** The schedules, each with what became of its last firing (from the history: registered, or refused and why). */
  async list(): Promise<UpgradeSchedule[]> {
    const schedules = await this.store().list();
    const history = this.upgrades && schedules.length ? await this.upgrades.list(HISTORY_WINDOW) : [];
    return schedules.map((s) => {
      const last = history.find((r) => r.schedule_name === s.name);
      const last_run = last
        ? {
            upgrade_id: last.id,
            at: new Date(last.started_at).toISOString(),
            outcome: last.state,
            error: last.error,
          }
        : null;
      return { ...s, last_run };
    });
  }

  async delete(caller: Caller, name: string): Promise<void> {
    await audited(
      this.audit,
      this.clock,
      caller,
      'upgrade.schedule.delete',
      { name },
      async () => {
        if (!(await this.store().delete(name))) throw new NotFoundError(`no schedule named ${name}`);
      },
      () => `schedule ${name} deleted`,
    );
  }
}
