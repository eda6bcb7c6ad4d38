import { bindable } from './compose/aws-environment.ts';
import { protocolServices } from './compose/protocol-services.ts';
import { logger } from './telemetry/logger.ts';

/** Every minute (EventBridge rule): one step of the unfinished protocol rollout, from what its record says. */
export const handler = bindable((envOf) => async () => {
  const report = await protocolServices(envOf()).tick();
  if (report && (report.entered.length || report.converted || report.waiting))
    logger.info('protocol rollout tick', { report });
  return { report };
});
