import { NotFoundError } from '../shared/domain/errors.ts';
import { adminServices } from './compose/admin-services.ts';
import { httpHandler } from './http/http-handler.ts';
import { ConfirmMigrationBody, resourceIdFrom } from './http/schemas.ts';
import { upgradeConfirmMigration } from './routes.ts';

/** POST /admin/upgrade/{id}/confirm-migration {tx_hash}: the governance proposal migrated the contract; verify and go on. */
export const handler = httpHandler(
  upgradeConfirmMigration,
  { body: ConfirmMigrationBody, services: adminServices },
  async ({ body, pathParameters, caller, services }) => {
    const id = resourceIdFrom(pathParameters);
    if (!id) throw new NotFoundError('no such upgrade');
    return { status: 200, body: await services.signals.confirmMigration(caller, id, body.tx_hash) };
  },
);
