import { adminServices } from './compose/admin-services.ts';
import { httpHandler } from './http/http-handler.ts';
import { schedulesList } from './routes.ts';

/** GET /admin/upgrade/schedules: the scheduled upgrades. */
export const handler = httpHandler(schedulesList, { services: adminServices }, async ({ services }) => {
  const schedules = await services.schedules.list();
  return { status: 200, body: { count: schedules.length, schedules } };
});
