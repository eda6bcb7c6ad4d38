import { buildCorePlane, type CoreParts } from '../../shared/core-plane.ts';
import { memoised } from './environment.ts';

/**
 * The drain and intent routes' services (fence, inflight tracker, audit, outcomes) over DynamoDB: nothing else, so
 * the busiest functions' bundles hold only this.
 */
export const coreServices = memoised((env): CoreParts => buildCorePlane(env.config, env.overrides.clock));
