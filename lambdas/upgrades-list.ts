import { httpHandler } from './http/http-handler.ts';
import { runtime } from './http/runtime.ts';
import { ListQuery } from './http/schemas.ts';

/** GET /admin/upgrades?limit=: the upgrade history, newest first. */
export const handler = httpHandler({ access: 'admin', query: ListQuery }, async ({ query }) => {
  const upgrades = await runtime().reads.history(query.limit ?? 50);
  return { status: 200, body: { count: upgrades.length, upgrades } };
});
