import { emitDrainMetrics } from './http/drain-metrics.ts';
import { DrainResumeBody } from './http/drain-schemas.ts';
import { httpHandler } from './http/http-handler.ts';

/** POST /admin/drain/resume {version?}: admit intents again, on `version` when given. */
export const handler = httpHandler(
  { access: 'admin', initialises: true, body: DrainResumeBody, bodyOptional: true },
  async ({ body, caller, cp }) => {
    const status = await cp.drain.resume(caller, body.version ?? null);
    emitDrainMetrics(status);
    return { status: 200, body: status };
  },
);
