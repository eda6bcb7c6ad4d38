import { EmptyBody } from './http/drain-schemas.ts';
import { httpHandler } from './http/http-handler.ts';
import { drainCancel } from './routes.ts';
import { emitDrainMetrics } from './telemetry/drain-metrics.ts';

/** POST /admin/drain/cancel: abandon a drain and admit intents again on the running version. */
export const handler = httpHandler(drainCancel, { body: EmptyBody }, async ({ caller, services }) => {
  const status = await services.drain.cancel(caller);
  emitDrainMetrics(status);
  return { status: 200, body: status };
});
