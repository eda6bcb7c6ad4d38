import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { CoreParts } from '../../shared/core-plane.ts';
import type { Caller } from '../../shared/domain/audited.ts';
import { bindable } from '../compose/aws-environment.ts';
import { coreServices } from '../compose/core-services.ts';
import type { Environment } from '../compose/environment.ts';
import type { Route } from '../routes.ts';
import { logger } from '../telemetry/logger.ts';
import { authorise } from './middleware/authorise.ts';
import { correlation } from './middleware/correlation.ts';
import { errorResponses } from './middleware/error-responses.ts';
import { initialise } from './middleware/initialise.ts';
import type { HttpContext } from './middleware/types.ts';
import { validateInput } from './middleware/validate-input.ts';
import type { Schema } from './parse-request.ts';
import { type PayloadV2Event, payloadV2 } from './payload-v2.ts';
import { type HttpResult, json } from './responses.ts';

/** What a route handler receives: validated input, the caller, a request-scoped logger and its services. */
export interface HttpRequest<B, Q, S> {
  readonly body: B;
  readonly query: Q;
  readonly pathParameters: Record<string, string>;
  readonly caller: Caller;
  readonly log: Logger;
  readonly services: S;
}

/** A route's input schemas (the ones its entry in lambdas/routes.ts names) and the services it calls. */
export interface RouteSpec<B, Q, S> {
  readonly body?: Schema<B>;
  readonly query?: Schema<Q>;
  /** The port factory of its services (default: the core services of the drain and intent routes). */
  readonly services?: (env: Environment) => S;
}

/** A route's Lambda handler: API Gateway REST's (1.0) event, or a function URL's (2.0), both answered alike. */
export type LambdaHandler = (
  event: APIGatewayProxyEvent | PayloadV2Event,
  context: Context,
) => Promise<APIGatewayProxyResult>;

/**
 * A route's logic as a Lambda handler, from its entry in the API table (lambdas/routes.ts): who may call it,
 * whether it initialises and whether its body may be empty come from there. The concerns are middy middlewares, in order: Powertools' logger context,
 * header normalisation, correlation id and request log, the error mapping, a function URL's (2.0) event in the REST
 * shape (payload-v2.ts), authentication, input validation, and
 * (operator actions only) initialisation. The route maps its input to a call on its services and a result. On
 * Lambda it runs in the AWS environment; `withEnvironment` binds it to another (the local stack, a test).
 */
export function httpHandler<B = undefined, Q = undefined, S = CoreParts>(
  route: Route,
  spec: RouteSpec<B, Q, S>,
  run: (req: HttpRequest<B, Q, S>) => Promise<HttpResult>,
) {
  const services = (spec.services ?? coreServices) as (env: Environment) => S;
  const input = { body: spec.body, query: spec.query, bodyOptional: route.input?.bodyOptional };
  const make = (envOf: () => Environment): LambdaHandler => {
    const handler = middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, HttpContext>()
      .use(injectLambdaContext(logger))
      .use(httpHeaderNormalizer())
      .use(correlation())
      .use(errorResponses())
      .use(payloadV2(route))
      .use(authorise(route.access, envOf))
      .use(validateInput(input));
    if (route.initialises) handler.use(initialise(envOf));
    return handler.handler(async (event, context) => {
      const { facts } = context;
      const out = await run({
        body: facts.body as B,
        query: facts.query as Q,
        pathParameters: (event.pathParameters ?? {}) as Record<string, string>,
        caller: { actor: facts.actor, correlationId: facts.correlationId, principal: facts.principal },
        log: facts.log,
        services: services(envOf()),
      });
      return json(out.status, out.body, out.headers ?? {});
    }) as unknown as LambdaHandler;
  };
  return Object.assign(bindable(make), {
    route: { name: route.handler, body: spec.body, query: spec.query },
  });
}
