import { adminServices } from './compose/admin-services.ts';
import { httpHandler } from './http/http-handler.ts';
import { EmptyBody } from './http/schemas.ts';
import { upgradeAbort } from './routes.ts';

/** POST /admin/upgrade/abort: stop the running upgrade at its next safe point and resume the old version. */
export const handler = httpHandler(
  upgradeAbort,
  { body: EmptyBody, services: adminServices },
  async ({ caller, services }) => ({
    status: 202,
    body: await services.upgrades.abort(caller),
  }),
);
