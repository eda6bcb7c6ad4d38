import { httpHandler } from './http/http-handler.ts';
import { drainStatus } from './routes.ts';
import { emitDrainMetrics } from './telemetry/drain-metrics.ts';

/** GET /admin/drain/status: mode, inflight count, oldest age, completions since the drain began. */
export const handler = httpHandler(drainStatus, {}, async ({ services }) => {
  const status = await services.drain.status();
  emitDrainMetrics(status);
  return { status: 200, body: status };
});
