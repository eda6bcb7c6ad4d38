import { EmptyBody, intentIdFrom } from './http/drain-schemas.ts';
import { httpHandler } from './http/http-handler.ts';

/** POST /intents/{id}/complete: the intent reached a terminal state. Idempotent: repeating it changes nothing. */
export const handler = httpHandler(
  { access: 'intent', body: EmptyBody, bodyOptional: true },
  async ({ pathParameters, cp }) => {
    const result = await cp.inflight.complete(intentIdFrom(pathParameters));
    const note = result.completed
      ? 'completed'
      : 'was not inflight (already completed, or never registered); nothing changed';
    return { status: 200, body: { ...result, message: `intent ${result.id} ${note}` } };
  },
);
