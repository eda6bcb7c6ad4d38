import { NotFoundError } from '../shared/domain/errors.ts';
import { adminServices } from './compose/admin-services.ts';
import { httpHandler } from './http/http-handler.ts';
import { resourceIdFrom } from './http/schemas.ts';
import { scheduleDelete } from './routes.ts';

/** DELETE /admin/upgrade/schedules/{name}: cancel a scheduled upgrade. */
export const handler = httpHandler(
  scheduleDelete,
  { services: adminServices },
  async ({ pathParameters, caller, services }) => {
    const name = resourceIdFrom(pathParameters);
    if (!name) throw new NotFoundError('no such schedule');
    await services.schedules.delete(caller, name);
    return { status: 200, body: { name, deleted: true } };
  },
);
