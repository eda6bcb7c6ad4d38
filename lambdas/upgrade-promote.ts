import { NotFoundError } from '../shared/domain/errors.ts';
import { httpHandler } from './http/http-handler.ts';
import { runtime } from './http/runtime.ts';
import { EmptyBody, resourceIdFrom } from './http/schemas.ts';

/** POST /admin/upgrade/{id}/promote: ends the bake early as a success (audited); 409 when it is not baking. */
export const handler = httpHandler(
  { access: 'admin', body: EmptyBody, bodyOptional: true },
  async ({ pathParameters, caller }) => {
    const id = resourceIdFrom(pathParameters);
    if (!id) throw new NotFoundError('no such upgrade');
    return { status: 200, body: await runtime().signals.promote(caller, id) };
  },
);
