import { bindable } from './compose/aws-environment.ts';
import { proposalServices } from './compose/proposal-services.ts';
import { logger } from './telemetry/logger.ts';

/** Every minute (EventBridge rule): announces proposals whose timelock ended or which expired, once each. */
export const handler = bindable((envOf) => async () => {
  const sent = await proposalServices(envOf()).sweep();
  if (sent.length) logger.info('proposal notices sent', { sent });
  return { sent };
});
