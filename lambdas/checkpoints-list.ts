import { httpHandler } from './http/http-handler.ts';
import { ListQuery } from './http/schemas.ts';

/** GET /admin/checkpoints?limit=: checkpoints still within retention, newest first. */
export const handler = httpHandler({ access: 'admin', query: ListQuery }, async ({ query, cp }) => {
  const checkpoints = await cp.upgrade.checkpoints.list(query.limit ?? 50);
  return { status: 200, body: { count: checkpoints.length, checkpoints } };
});
