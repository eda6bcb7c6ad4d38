import { Logger } from '@aws-lambda-powertools/logger';
import { type Config, loadConfig } from '../../shared/config.ts';
import { buildControlPlane, type ControlPlane } from '../../shared/control-plane.ts';

/** The logger every handler shares (JSON lines; level from POWERTOOLS_LOG_LEVEL). */
export const logger = new Logger({ serviceName: 'upgrade-control-plane' });

let cached: { config: Config; cp: ControlPlane } | null = null;

/**
 * Configuration and services, built once per process: on Lambda at cold start, locally once for all handlers.
 * Configuration errors surface on the first request with a message naming the variable.
 */
export function runtime(): { config: Config; cp: ControlPlane } {
  if (!cached) {
    const config = loadConfig();
    cached = { config, cp: buildControlPlane(config) };
  }
  return cached;
}

/** Forgets the cached services (tests and the local runtime call this after changing the environment). */
export function resetRuntime(): void {
  cached = null;
}
