import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { CorePlane } from '../../shared/core-plane.ts';
import type { Caller } from '../../shared/domain/audited.ts';
import type { Access } from './authentication.ts';
import { coreRuntime } from './core-runtime.ts';
import { logger } from './logger.ts';
import { authorise } from './middleware/authorise.ts';
import { correlation } from './middleware/correlation.ts';
import { errorResponses } from './middleware/error-responses.ts';
import { initialise } from './middleware/initialise.ts';
import type { HttpContext } from './middleware/types.ts';
import { validateInput } from './middleware/validate-input.ts';
import type { RequestSpec } from './parse-request.ts';
import { type HttpResult, json } from './responses.ts';

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

/**
 * A route's logic as a Lambda handler. The concerns are middy middlewares, in order: Powertools' logger context,
 * header normalisation, correlation id and request log, the error mapping, authentication, input validation, and
 * (operator actions only) initialisation. The route itself only maps its input to a domain call and a result.
 */
export function httpHandler<B = undefined, Q = undefined>(
  spec: RouteSpec<B, Q>,
  run: (req: HttpRequest<B, Q>) => Promise<HttpResult>,
) {
  const handler = middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, HttpContext>()
    .use(injectLambdaContext(logger))
    .use(httpHeaderNormalizer())
    .use(correlation())
    .use(errorResponses())
    .use(authorise(spec.access))
    .use(validateInput(spec));
  if (spec.initialises) handler.use(initialise());
  return handler.handler(async (event, context) => {
    const { facts } = context;
    const out = await run({
      body: facts.body as B,
      query: facts.query as Q,
      pathParameters: (event.pathParameters ?? {}) as Record<string, string>,
      caller: { actor: facts.actor, correlationId: facts.correlationId, principal: facts.principal },
      log: facts.log,
      cp: coreRuntime().cp,
    });
    return json(out.status, out.body, out.headers ?? {});
  });
}
