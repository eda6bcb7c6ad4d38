import { NotFoundError } from '../shared/domain/errors.ts';
import { adminServices } from './compose/admin-services.ts';
import { httpHandler } from './http/http-handler.ts';
import { resourceIdFrom } from './http/schemas.ts';
import { upgradeGet } from './routes.ts';

/** GET /admin/upgrades/{id}: the upgrade with every step (start, end, outcome, cause) and the execution's events. */
export const handler = httpHandler(
  upgradeGet,
  { services: adminServices },
  async ({ pathParameters, services }) => {
    const id = resourceIdFrom(pathParameters);
    if (!id) throw new NotFoundError('no such upgrade: ids look like upgrade-2_0_0-20261123T003000-ab12');
    return { status: 200, body: await services.reads.detail(id) };
  },
);
