import type { Logger } from '@aws-lambda-powertools/logger';
import type middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';

/** What the HTTP middlewares learn about a request, for the ones after them and the route. */
export interface RequestFacts {
  correlationId: string;
  log: Logger;
  startedAt: number;
  actor: string;
  /** The authenticated identity (never the X-Operator header): approvals count it. */
  principal: string;
  body: unknown;
  query: unknown;
}

/** The Lambda context, carrying the facts the middlewares established. */
export type HttpContext = Context & { facts: RequestFacts };

export type HttpMiddleware = middy.MiddlewareObj<
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  Error,
  HttpContext
>;
