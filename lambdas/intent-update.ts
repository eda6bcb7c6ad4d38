import { intentIdFrom, PatchIntentBody } from './http/drain-schemas.ts';
import { httpHandler } from './http/http-handler.ts';
import { presentIntent } from './http/present.ts';

/** PATCH /intents/{id}: change an inflight intent's phase or lock flags (allowed during a drain). */
export const handler = httpHandler(
  { access: 'intent', body: PatchIntentBody },
  async ({ body, pathParameters, cp }) => {
    const intent = await cp.inflight.update(intentIdFrom(pathParameters), body);
    return { status: 200, body: presentIntent(intent) };
  },
);
