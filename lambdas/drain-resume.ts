import { adminServices } from './compose/admin-services.ts';
import { drainReply } from './http/drain-reply.ts';
import { DrainResumeBody } from './http/drain-schemas.ts';
import { httpHandler } from './http/http-handler.ts';
import { drainResume } from './routes.ts';

/**
 * POST /admin/drain/resume {version?}: admit intents again, on `version` when given; while an upgrade waits for
 * its operator (manual deploy, maintenance), its go-ahead.
 */
export const handler = httpHandler(
  drainResume,
  { body: DrainResumeBody, services: adminServices },
  async ({ body, caller, services }) =>
    drainReply(
      await services.drainRequests.handle(caller, { kind: 'resume', version: body.version ?? null }),
    ),
);
