import { completionReply } from '../shared/domain/intent-replies.ts';
import { CompleteIntentBody, intentIdFrom } from './http/drain-schemas.ts';
import { httpHandler } from './http/http-handler.ts';
import { intentComplete } from './routes.ts';
import { emitIntentCompleted } from './telemetry/intent-metrics.ts';

/**
 * POST /intents/{id}/complete {"outcome"?: settled | failed | refunded}: the intent reached a terminal state.
 * Idempotent: repeating it changes nothing. The outcome is a metric, and a bake's intent_failures trigger counts it.
 */
export const handler = httpHandler(
  intentComplete,
  { body: CompleteIntentBody },
  async ({ body, pathParameters, services }) => {
    const result = await services.inflight.complete(intentIdFrom(pathParameters), body?.outcome);
    if (result.completed) emitIntentCompleted(result.outcome);
    return { status: 200, body: completionReply(result) };
  },
);
