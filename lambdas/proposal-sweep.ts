import { logger } from './http/logger.ts';
import { proposalRuntime } from './http/proposal-runtime.ts';

/** Every minute (EventBridge rule): announces proposals whose timelock ended or which expired, once each. */
export const handler = async () => {
  const sent = await proposalRuntime().sweep();
  if (sent.length) logger.info('proposal notices sent', { sent });
  return { sent };
};
