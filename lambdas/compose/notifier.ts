import { SnsNotifier } from '../../shared/adapters/sns/sns-notifier.ts';
import { LogNotifier } from '../../shared/approval/log-notifier.ts';
import type { Notifier } from '../../shared/domain/announcement.ts';
import { logger } from '../telemetry/logger.ts';
import { type Environment, memoised } from './environment.ts';

/** The log line of an announcement: the function's log on Lambda, the terminal of `npm start` locally. */
const logLine = (line: string, fields: Record<string, unknown>) =>
  process.env.AWS_LAMBDA_FUNCTION_NAME ? logger.info(line, fields) : console.log(`[announce] ${line}`);

/**
 * Where announcements go: the environment's own notifier; the proposals' SNS topic when PROPOSAL_TOPIC_ARN is set
 * (AWS); else the log and PROPOSAL_WEBHOOK_URL.
 */
export const notifier = memoised((env: Environment): Notifier => {
  const { config } = env;
  if (env.overrides.notifier) return env.overrides.notifier;
  return config.proposalTopicArn
    ? new SnsNotifier(config.proposalTopicArn, config.region)
    : new LogNotifier(logLine, config.proposalWebhookUrl);
});
