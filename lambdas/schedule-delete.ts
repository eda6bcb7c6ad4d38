import { NotFoundError } from '../shared/domain/errors.ts';
import { httpHandler } from './http/http-handler.ts';
import { runtime } from './http/runtime.ts';
import { resourceIdFrom } from './http/schemas.ts';

/** DELETE /admin/upgrade/schedules/{name}: cancel a scheduled upgrade. */
export const handler = httpHandler({ access: 'admin' }, async ({ pathParameters, caller }) => {
  const name = resourceIdFrom(pathParameters);
  if (!name) throw new NotFoundError('no such schedule');
  await runtime().schedules.delete(caller, name);
  return { status: 200, body: { name, deleted: true } };
});
