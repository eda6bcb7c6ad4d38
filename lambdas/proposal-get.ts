import { NotFoundError } from '../shared/domain/errors.ts';
import { httpHandler } from './http/http-handler.ts';
import { proposalRuntime } from './http/proposal-runtime.ts';
import { proposalIdFrom } from './http/proposal-schemas.ts';

/** GET /admin/proposals/{id}: approvals, timelock_until, executable_at, seconds_remaining and the state. */
export const handler = httpHandler({ access: 'admin' }, async ({ pathParameters }) => {
  const id = proposalIdFrom(pathParameters);
  if (!id) throw new NotFoundError('no such proposal: ids look like prop-20261204T053000-ab12cd');
  return { status: 200, body: await proposalRuntime().proposals.get(id) };
});
