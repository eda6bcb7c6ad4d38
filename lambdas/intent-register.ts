import { RegisterIntentBody } from './http/drain-schemas.ts';
import { httpHandler } from './http/http-handler.ts';
import { presentIntent } from './http/present.ts';
import { intentRegister } from './routes.ts';

/** POST /intents: admit an intent (201), or 503 with Retry-After while the system is not admitting. */
export const handler = httpHandler(
  intentRegister,
  { body: RegisterIntentBody },
  async ({ body, services }) => {
    const intent = await services.inflight.register(body);
    return {
      status: 201,
      body: presentIntent(intent),
      headers: { location: `/intents/${encodeURIComponent(intent.id)}` },
    };
  },
);
