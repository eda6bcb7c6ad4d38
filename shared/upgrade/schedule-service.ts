import { audited, type Caller } from '../domain/audited.ts';
import { ConflictError, DomainError, NotFoundError, ValidationError } from '../domain/errors.ts';
import type { AuditLog, Clock } from '../domain/ports.ts';
import { checkScheduleExpression, parseWindows } from './maintenance-window.ts';
import type { ScheduleStore, UpgradeSchedule } from './schedules.ts';

const NAME_PATTERN = /^[A-Za-z0-9_-]{1,48}$/;

/** Scheduled upgrades: checked against the maintenance windows, audited, kept by the schedule store. */
export class ScheduleService {
  constructor(
    private readonly store: () => ScheduleStore,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly windows: string | undefined,
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
      throw new DomainError(
        'not_available_locally',
        501,
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

  list(): Promise<UpgradeSchedule[]> {
    return this.store().list();
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
