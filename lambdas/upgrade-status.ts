import { adminServices } from './compose/admin-services.ts';
import { httpHandler } from './http/http-handler.ts';
import { upgradeStatus } from './routes.ts';

/** GET /admin/upgrade/status: the running (or latest) upgrade: state, step, drain, progress, checkpoint. */
export const handler = httpHandler(upgradeStatus, { services: adminServices }, async ({ services }) => ({
  status: 200,
  body: await services.reads.status(),
}));
