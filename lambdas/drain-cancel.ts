import { adminServices } from './compose/admin-services.ts';
import { drainReply } from './http/drain-reply.ts';
import { EmptyBody } from './http/drain-schemas.ts';
import { httpHandler } from './http/http-handler.ts';
import { drainCancel } from './routes.ts';

/** POST /admin/drain/cancel: abandon a drain and admit intents again; during an upgrade's drain, abort it. */
export const handler = httpHandler(
  drainCancel,
  { body: EmptyBody, services: adminServices },
  async ({ caller, services }) => drainReply(await services.drainRequests.handle(caller, { kind: 'cancel' })),
);
