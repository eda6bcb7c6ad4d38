import { errorResponse } from '../responses.ts';
import type { HttpMiddleware } from './types.ts';

/**
 * The one place a thrown error becomes a response: domain and HTTP errors keep their status and code; anything
 * else is a 500 naming the correlation id, logged with its stack (never in the body).
 */
export function errorResponses(): HttpMiddleware {
  return {
    onError: (request) => {
      const facts = request.context.facts;
      const mapped = errorResponse(request.error, facts?.correlationId ?? 'unknown');
      if (mapped.internal)
        facts?.log.error('request failed', { error: request.error as Error, path: request.event.path });
      request.response = mapped.result;
    },
  };
}
