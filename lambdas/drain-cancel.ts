import { emitDrainMetrics } from './http/drain-metrics.ts';
import { EmptyBody } from './http/drain-schemas.ts';
import { httpHandler } from './http/http-handler.ts';

/** POST /admin/drain/cancel: abandon a drain and admit intents again on the running version. */
export const handler = httpHandler(
  { access: 'admin', initialises: true, body: EmptyBody, bodyOptional: true },
  async ({ caller, cp }) => {
    const status = await cp.drain.cancel(caller);
    emitDrainMetrics(status);
    return { status: 200, body: status };
  },
);
