import { bindable } from './compose/aws-environment.ts';
import { coreServices } from './compose/core-services.ts';
import { logger } from './telemetry/logger.ts';

/**
 * Run once by the deploy (a CDK Trigger, cdk/api-stack.ts), and again when this handler changes: creates the mode
 * record and the fence gates when missing, so a fresh deployment admits intents without a manual admin call.
 * Idempotent: when they exist it only reads them (and refuses a FENCE_SHARDS that differs from the table's).
 */
export const handler = bindable(
  (envOf) => async (): Promise<{ initialised: true; mode: string; version: string }> => {
    const cp = coreServices(envOf());
    await cp.init();
    const mode = await cp.fence.readMode();
    logger.info('deployment initialised', { mode: mode.mode, version: mode.version });
    return { initialised: true, mode: mode.mode, version: mode.version };
  },
);
