import { randomUUID } from 'node:crypto';
import { logger } from '../../telemetry/logger.ts';
import type { HttpMiddleware } from './types.ts';

const CORRELATION_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Takes the caller's X-Correlation-Id when well formed (else the request id), gives the request a logger that
 * carries it, echoes it on every response, and logs one line per request with its status and duration.
 */
export function correlation(): HttpMiddleware {
  const finish: NonNullable<HttpMiddleware['after']> = (request) => {
    const { facts } = request.context;
    const response = request.response;
    if (!response || !facts) return;
    response.headers = { ...response.headers, 'x-correlation-id': facts.correlationId };
    facts.log.info('request', {
      method: request.event.httpMethod,
      path: request.event.path,
      status: response.statusCode,
      duration_ms: Date.now() - facts.startedAt,
    });
  };
  return {
    before: (request) => {
      const given = request.event.headers?.['x-correlation-id'];
      const correlationId =
        given && CORRELATION_PATTERN.test(given) ? given : (request.context.awsRequestId ?? randomUUID());
      const log = logger.createChild({ persistentKeys: { correlation_id: correlationId } });
      request.context.facts = {
        correlationId,
        log,
        startedAt: Date.now(),
        actor: 'anonymous',
        principal: 'anonymous',
        body: undefined,
        query: undefined,
      };
    },
    after: finish,
    // After the error mapping has made the response (middy runs onError in reverse order).
    onError: finish,
  };
}
