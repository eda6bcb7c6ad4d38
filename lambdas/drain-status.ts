import { emitDrainMetrics } from './http/drain-metrics.ts';
import { httpHandler } from './http/http-handler.ts';

/** GET /admin/drain/status: mode, inflight count, oldest age, completions since the drain began. */
export const handler = httpHandler({ access: 'admin', initialises: true }, async ({ cp }) => {
  const status = await cp.drain.status();
  emitDrainMetrics(status);
  return { status: 200, body: status };
});
