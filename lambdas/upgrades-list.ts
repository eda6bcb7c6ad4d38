import { adminServices } from './compose/admin-services.ts';
import { httpHandler } from './http/http-handler.ts';
import { ListQuery } from './http/schemas.ts';
import { upgradesList } from './routes.ts';

/** GET /admin/upgrades?limit=: the upgrade history, newest first. */
export const handler = httpHandler(
  upgradesList,
  { query: ListQuery, services: adminServices },
  async ({ query, services }) => {
    const upgrades = await services.reads.history(query.limit ?? 50);
    return { status: 200, body: { count: upgrades.length, upgrades } };
  },
);
