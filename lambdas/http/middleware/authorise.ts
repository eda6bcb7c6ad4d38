import type { Environment } from '../../compose/environment.ts';
import { type Access, authenticate } from '../authentication.ts';
import type { HttpMiddleware } from './types.ts';

/** Establishes the caller for the route's access level (401/403 otherwise); see authentication.ts. */
export function authorise(access: Access, envOf: () => Environment): HttpMiddleware {
  return {
    before: (request) => {
      const who = authenticate(request.event, access, envOf().config.auth);
      request.context.facts.actor = who.actor;
      request.context.facts.principal = who.principal;
    },
  };
}
