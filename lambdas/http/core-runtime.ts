import { type Config, loadConfig } from '../../shared/config.ts';
import { buildCorePlane, type CoreParts } from '../../shared/core-plane.ts';

let cached: { config: Config; cp: CoreParts } | null = null;

/**
 * Configuration and the core services (fence, inflight tracker, audit), built once per process. Every HTTP route
 * gets these; routes that need the upgrade services ask `runtime()`, which builds on the same core.
 */
export function coreRuntime(): { config: Config; cp: CoreParts } {
  if (!cached) {
    const config = loadConfig();
    cached = { config, cp: buildCorePlane(config) };
  }
  return cached;
}

/** Forgets the cached core (with `resetRuntime`, after the environment changed). */
export function resetCoreRuntime(): void {
  cached = null;
}
