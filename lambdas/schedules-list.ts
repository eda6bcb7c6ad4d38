import { httpHandler } from './http/http-handler.ts';
import { runtime } from './http/runtime.ts';

/** GET /admin/upgrade/schedules: the scheduled upgrades. */
export const handler = httpHandler({ access: 'admin' }, async () => {
  const schedules = await runtime().schedules.list();
  return { status: 200, body: { count: schedules.length, schedules } };
});
