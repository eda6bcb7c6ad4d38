import { SnsNotifier } from '../../shared/adapters/sns/sns-notifier.ts';
import { LogNotifier } from '../../shared/approval/log-notifier.ts';
import type { Notifier } from '../../shared/approval/proposal-notice.ts';
import { ProposalService } from '../../shared/approval/proposal-service.ts';
import { sweepProposals } from '../../shared/approval/proposal-sweep.ts';
import { ScheduledProposals } from '../../shared/approval/scheduled-proposals.ts';
import { logger, runtime } from './runtime.ts';

interface ProposalRuntime {
  readonly proposals: ProposalService;
  readonly scheduled: ScheduledProposals;
  readonly sweep: () => ReturnType<typeof sweepProposals>;
}

let cached: { built: ProposalRuntime; for: object } | null = null;

/** The log line of an announcement: the function's log on Lambda, the terminal of `npm start` locally. */
const logLine = (line: string, fields: Record<string, unknown>) =>
  process.env.AWS_LAMBDA_FUNCTION_NAME ? logger.info(line, fields) : console.log(`[proposal] ${line}`);

/**
 * The proposal services, built once per process on top of runtime(): announcements go to the proposals' SNS topic
 * when PROPOSAL_TOPIC_ARN is set (AWS), else to the log and PROPOSAL_WEBHOOK_URL. Only the proposal routes, the
 * schedule routes, the scheduled start and the proposal sweep import this, so no other bundle carries the SNS
 * client. Rebuilt whenever runtime() is (after resetRuntime()).
 */
export function proposalRuntime(): ProposalRuntime {
  const rt = runtime();
  if (cached?.for !== rt) {
    const { config, cp, upgrades } = rt;
    const notifier: Notifier = config.proposalTopicArn
      ? new SnsNotifier(config.proposalTopicArn, config.region)
      : new LogNotifier(logLine, config.proposalWebhookUrl);
    const svc = cp.upgrade;
    cached = {
      for: rt,
      built: {
        proposals: new ProposalService(svc, upgrades, notifier),
        scheduled: new ScheduledProposals(svc, upgrades, notifier),
        sweep: () => sweepProposals(svc.proposals, svc.clock, notifier),
      },
    };
  }
  return cached.built;
}
