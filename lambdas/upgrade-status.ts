import { adminServices } from './compose/admin-services.ts';
import { httpHandler } from './http/http-handler.ts';

/** GET /admin/upgrade/status: the running (or latest) upgrade: state, step, drain, progress, checkpoint. */
export const handler = httpHandler('upgrade-status', { services: adminServices }, async ({ services }) => ({
  status: 200,
  body: await services.reads.status(),
}));
