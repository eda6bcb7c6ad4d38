import { NotFoundError } from '../shared/domain/errors.ts';
import { httpHandler } from './http/http-handler.ts';
import { runtime } from './http/runtime.ts';
import { EmptyBody, resourceIdFrom } from './http/schemas.ts';

/** POST /admin/upgrade/{id}/continue: the backend is deployed (manual mode); go on to the post-checks. */
export const handler = httpHandler(
  { access: 'admin', body: EmptyBody, bodyOptional: true },
  async ({ pathParameters, caller }) => {
    const id = resourceIdFrom(pathParameters);
    if (!id) throw new NotFoundError('no such upgrade');
    return { status: 200, body: await runtime().signals.continueDeploy(caller, id) };
  },
);
