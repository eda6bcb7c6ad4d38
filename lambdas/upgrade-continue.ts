import { NotFoundError } from '../shared/domain/errors.ts';
import { adminServices } from './compose/admin-services.ts';
import { httpHandler } from './http/http-handler.ts';
import { EmptyBody, resourceIdFrom } from './http/schemas.ts';
import { upgradeContinue } from './routes.ts';

/** POST /admin/upgrade/{id}/continue: the backend is deployed (manual mode); go on to the post-checks. */
export const handler = httpHandler(
  upgradeContinue,
  { body: EmptyBody, services: adminServices },
  async ({ pathParameters, caller, services }) => {
    const id = resourceIdFrom(pathParameters);
    if (!id) throw new NotFoundError('no such upgrade');
    return { status: 200, body: await services.signals.continueDeploy(caller, id) };
  },
);
