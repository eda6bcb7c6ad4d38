import { adminServices } from './compose/admin-services.ts';
import { httpHandler } from './http/http-handler.ts';
import { ListQuery } from './http/schemas.ts';
import { checkpointsList } from './routes.ts';

/** GET /admin/checkpoints?limit=: checkpoints still within retention, newest first. */
export const handler = httpHandler(
  checkpointsList,
  { query: ListQuery, services: adminServices },
  async ({ query, services }) => {
    const checkpoints = await services.cp.upgrade.checkpoints.list(query.limit ?? 50);
    return { status: 200, body: { count: checkpoints.length, checkpoints } };
  },
);
