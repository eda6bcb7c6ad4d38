import { NotFoundError } from '../shared/domain/errors.ts';
import { httpHandler } from './http/http-handler.ts';
import { runtime } from './http/runtime.ts';
import { ConfirmMigrationBody, resourceIdFrom } from './http/schemas.ts';

/** POST /admin/upgrade/{id}/confirm-migration {tx_hash}: the governance proposal migrated the contract; verify and go on. */
export const handler = httpHandler(
  { access: 'admin', body: ConfirmMigrationBody },
  async ({ body, pathParameters, caller }) => {
    const id = resourceIdFrom(pathParameters);
    if (!id) throw new NotFoundError('no such upgrade');
    return { status: 200, body: await runtime().signals.confirmMigration(caller, id, body.tx_hash) };
  },
);
