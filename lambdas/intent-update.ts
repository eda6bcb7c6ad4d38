import { intentIdFrom, PatchIntentBody } from './http/drain-schemas.ts';
import { httpHandler } from './http/http-handler.ts';
import { presentIntent } from './http/present.ts';
import { intentUpdate } from './routes.ts';

/** PATCH /intents/{id}: change an inflight intent's phase or lock flags (allowed during a drain). */
export const handler = httpHandler(
  intentUpdate,
  { body: PatchIntentBody },
  async ({ body, pathParameters, services }) => {
    const intent = await services.inflight.update(intentIdFrom(pathParameters), body);
    return { status: 200, body: presentIntent(intent) };
  },
);
