import { DrainResumeBody } from './http/drain-schemas.ts';
import { httpHandler } from './http/http-handler.ts';
import { drainResume } from './routes.ts';
import { emitDrainMetrics } from './telemetry/drain-metrics.ts';

/** POST /admin/drain/resume {version?}: admit intents again, on `version` when given. */
export const handler = httpHandler(
  drainResume,
  { body: DrainResumeBody },
  async ({ body, caller, services }) => {
    const status = await services.drain.resume(caller, body.version ?? null);
    emitDrainMetrics(status);
    return { status: 200, body: status };
  },
);
