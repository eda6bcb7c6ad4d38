import { randomUUID } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { CorePlane } from '../../shared/core-plane.ts';
import type { Caller } from '../../shared/domain/audited.ts';
import { type Access, authenticate } from './authentication.ts';
import { coreRuntime } from './core-runtime.ts';
import { logger } from './logger.ts';
import { parseBody, parseQuery, type RequestSpec } from './parse-request.ts';
import { errorResponse, type HttpResult, json } from './responses.ts';

/** What a route handler receives: validated input, the caller, a request-scoped logger and the services. */
export interface HttpRequest<B, Q> {
  readonly body: B;
  readonly query: Q;
  readonly pathParameters: Record<string, string>;
  readonly caller: Caller;
  readonly log: Logger;
  readonly cp: CorePlane;
}

export interface RouteSpec<B, Q> extends RequestSpec<B, Q> {
  readonly access: Access;
  /**
   * An operator action that may create the mode record and fence gates when they are missing (its role can write
   * the control table). Every other route only reads: a missing record answers 503 `not_initialised`.
   */
  readonly initialises?: boolean;
}

type Event = APIGatewayProxyEvent;
type Result = APIGatewayProxyResult;

const CORRELATION_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Wraps a route's logic as a Lambda handler: header normalisation (middy), correlation id and request log,
 * authentication, body and query validation, and the single mapping of errors to `{error, message}` responses.
 */
export function httpHandler<B = undefined, Q = undefined>(
  spec: RouteSpec<B, Q>,
  run: (req: HttpRequest<B, Q>) => Promise<HttpResult>,
) {
  return middy<Event, Result, Error, Context>()
    .use(httpHeaderNormalizer())
    .handler(async (event, context) => {
      const given = event.headers?.['x-correlation-id'];
      const correlationId =
        given && CORRELATION_PATTERN.test(given) ? given : (context.awsRequestId ?? randomUUID());
      const log = logger.createChild({ persistentKeys: { correlation_id: correlationId } });
      const started = Date.now();
      let result: Result;
      try {
        const { config, cp } = coreRuntime();
        const actor = authenticate(event, spec.access, config.auth);
        const body = parseBody(event, spec);
        const query = parseQuery(event, spec);
        if (spec.initialises) await cp.init();
        const out = await run({
          body,
          query,
          pathParameters: (event.pathParameters ?? {}) as Record<string, string>,
          caller: { actor, correlationId },
          log,
          cp,
        });
        result = json(out.status, out.body, { 'x-correlation-id': correlationId, ...(out.headers ?? {}) });
      } catch (err) {
        const mapped = errorResponse(err, correlationId);
        if (mapped.internal) log.error('request failed', { error: err as Error, path: event.path });
        result = mapped.result;
      }
      log.info('request', {
        method: event.httpMethod,
        path: event.path,
        status: result.statusCode,
        duration_ms: Date.now() - started,
      });
      return result;
    });
}
