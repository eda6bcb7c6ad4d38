import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { type Announcement, aboutOf, type Notifier } from '../../domain/announcement.ts';

/** Announcements on AWS (proposals, protocol rollouts): the proposals' own SNS topic (not the alarm topic), for email or chat subscribers. */
export class SnsNotifier implements Notifier {
  private readonly sns: SNSClient;

  constructor(
    private readonly topicArn: string,
    region: string | undefined,
  ) {
    this.sns = new SNSClient({ region });
  }

  async notify(n: Announcement): Promise<void> {
    const about = aboutOf(n);
    await this.sns.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Subject: n.subject,
        Message: n.message,
        MessageAttributes: {
          event: { DataType: 'String', StringValue: n.event },
          [about.name]: { DataType: 'String', StringValue: about.id },
        },
      }),
    );
  }
}
