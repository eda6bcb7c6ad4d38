import { NotFoundError } from '../shared/domain/errors.ts';
import { adminServices } from './compose/admin-services.ts';
import { httpHandler } from './http/http-handler.ts';
import { CheckpointQuery, resourceIdFrom } from './http/schemas.ts';
import { checkpointGet } from './routes.ts';

/** GET /admin/checkpoints/{id}?validate=true: a checkpoint's summary; with validate, every hash and count rechecked. */
export const handler = httpHandler(
  checkpointGet,
  { query: CheckpointQuery, services: adminServices },
  async ({ pathParameters, query, services }) => {
    const id = resourceIdFrom(pathParameters);
    if (!id) throw new NotFoundError('no such checkpoint: ids look like ckpt-20261123T003000-a1b2c3');
    const summary = await services.cp.upgrade.checkpoints.summary(id);
    const validation = query.validate === 'true' ? await services.cp.upgrade.checkpoints.validate(id) : null;
    return { status: 200, body: { ...summary, validation } };
  },
);
