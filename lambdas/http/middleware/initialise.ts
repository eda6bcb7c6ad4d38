import { coreServices } from '../../compose/core-services.ts';
import type { Environment } from '../../compose/environment.ts';
import type { HttpMiddleware } from './types.ts';

/**
 * For operator actions only: creates the mode record and fence gates when missing (one read when they exist).
 * Other routes never write at cold start; a missing record reaches them as 503 `not_initialised`.
 */
export function initialise(envOf: () => Environment): HttpMiddleware {
  return {
    before: async () => {
      await coreServices(envOf()).init();
    },
  };
}
