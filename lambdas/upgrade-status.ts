import { httpHandler } from './http/http-handler.ts';
import { runtime } from './http/runtime.ts';

/** GET /admin/upgrade/status: the running (or latest) upgrade: state, step, drain, progress, checkpoint. */
export const handler = httpHandler({ access: 'admin', initialises: true }, async () => ({
  status: 200,
  body: await runtime().reads.status(),
}));
