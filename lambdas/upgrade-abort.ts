import { httpHandler } from './http/http-handler.ts';
import { runtime } from './http/runtime.ts';
import { EmptyBody } from './http/schemas.ts';

/** POST /admin/upgrade/abort: stop the running upgrade at its next safe point and resume the old version. */
export const handler = httpHandler(
  { access: 'admin', initialises: true, body: EmptyBody, bodyOptional: true },
  async ({ caller }) => ({
    status: 202,
    body: await runtime().upgrades.abort(caller),
  }),
);
