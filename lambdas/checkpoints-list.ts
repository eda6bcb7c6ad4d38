import { httpHandler } from './http/http-handler.ts';
import { runtime } from './http/runtime.ts';
import { ListQuery } from './http/schemas.ts';

/** GET /admin/checkpoints?limit=: checkpoints still within retention, newest first. */
export const handler = httpHandler({ access: 'admin', query: ListQuery }, async ({ query }) => {
  const checkpoints = await runtime().cp.upgrade.checkpoints.list(query.limit ?? 50);
  return { status: 200, body: { count: checkpoints.length, checkpoints } };
});
