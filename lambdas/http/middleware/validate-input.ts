import { parseBody, parseQuery, type RequestSpec } from '../parse-request.ts';
import type { HttpMiddleware } from './types.ts';

/** Parses and validates the body and query against the route's schemas (4xx naming what to fix). */
export function validateInput<B, Q>(spec: RequestSpec<B, Q>): HttpMiddleware {
  return {
    before: (request) => {
      request.context.facts.body = parseBody(request.event, spec);
      request.context.facts.query = parseQuery(request.event, spec);
    },
  };
}
