import { SnsNotifier } from '../../shared/adapters/sns/sns-notifier.ts';
import { LogNotifier } from '../../shared/approval/log-notifier.ts';
import type { Notifier } from '../../shared/approval/proposal-notice.ts';
import { ProposalService } from '../../shared/approval/proposal-service.ts';
import { sweepProposals } from '../../shared/approval/proposal-sweep.ts';
import { ScheduledProposals } from '../../shared/approval/scheduled-proposals.ts';
import { logger } from '../telemetry/logger.ts';
import { type AdminServices, adminServices } from './admin-services.ts';
import { type Environment, memoised } from './environment.ts';

/** The upgrade services plus proposals: only the proposal and schedule routes and their Tasks carry the SNS client. */
export interface ProposalServices extends AdminServices {
  readonly proposals: ProposalService;
  readonly scheduled: ScheduledProposals;
  readonly sweep: () => ReturnType<typeof sweepProposals>;
}

/** The log line of an announcement: the function's log on Lambda, the terminal of `npm start` locally. */
const logLine = (line: string, fields: Record<string, unknown>) =>
  process.env.AWS_LAMBDA_FUNCTION_NAME ? logger.info(line, fields) : console.log(`[proposal] ${line}`);

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

/** The proposal services of an environment, built once. */
export const proposalServices = memoised((env): ProposalServices => {
  const admin = adminServices(env);
  const svc = admin.cp.upgrade;
  const notices = notifier(env);
  return {
    ...admin,
    proposals: new ProposalService(svc, admin.upgrades, notices),
    scheduled: new ScheduledProposals(svc, admin.upgrades, notices),
    sweep: () => sweepProposals(svc.proposals, svc.clock, notices),
  };
});
