import { NotFoundError } from '../shared/domain/errors.ts';
import { adminServices } from './compose/admin-services.ts';
import { httpHandler } from './http/http-handler.ts';
import { EmptyBody, resourceIdFrom } from './http/schemas.ts';
import { upgradePromote } from './routes.ts';

/** POST /admin/upgrade/{id}/promote: ends the bake early as a success (audited); 409 when it is not baking. */
export const handler = httpHandler(
  upgradePromote,
  { body: EmptyBody, services: adminServices },
  async ({ pathParameters, caller, services }) => {
    const id = resourceIdFrom(pathParameters);
    if (!id) throw new NotFoundError('no such upgrade');
    return { status: 200, body: await services.signals.promote(caller, id) };
  },
);
