import { httpHandler } from './http/http-handler.ts';
import { runtime } from './http/runtime.ts';
import { ScheduleCreateBody } from './http/schemas.ts';

/** POST /admin/upgrade/schedules {name, schedule: at(...)|cron(...), upgrade: UpgradeConfig}: inside a maintenance window only. */
export const handler = httpHandler(
  { access: 'admin', body: ScheduleCreateBody },
  async ({ body, caller }) => {
    const created = await runtime().schedules.create(caller, body.name, body.schedule, body.upgrade);
    return { status: 201, body: created };
  },
);
