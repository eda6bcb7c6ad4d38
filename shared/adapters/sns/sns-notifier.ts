import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { Notifier, ProposalNotice } from '../../approval/proposal-notice.ts';

/** Proposal announcements on AWS: the proposals' own SNS topic (not the alarm topic), for email or chat subscribers. */
export class SnsNotifier implements Notifier {
  private readonly sns: SNSClient;

  constructor(
    private readonly topicArn: string,
    region: string | undefined,
  ) {
    this.sns = new SNSClient({ region });
  }

  async notify(n: ProposalNotice): Promise<void> {
    await this.sns.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Subject: n.subject,
        Message: n.message,
        MessageAttributes: {
          event: { DataType: 'String', StringValue: n.event },
          proposal_id: { DataType: 'String', StringValue: n.proposal_id },
        },
      }),
    );
  }
}
