import { randomUUID } from 'node:crypto';
import type { LocalAnswer } from './proxy.ts';
import type { AwsRequest } from './requests.ts';

/** The form fields of an AWS Query request (SNS speaks it): `Action=Publish&TopicArn=...`. */
export const queryFields = (req: AwsRequest): URLSearchParams =>
  new URLSearchParams(req.body.toString('utf8'));

/**
 * SNS has no local engine: Publish is answered here as SNS answers it (XML) and the message kept, so a scenario can
 * read what subscribers would get. The authorization (sns:Publish on the topic, KMS for the encrypted topic) is
 * checked by the proxy against the template, as for every other service.
 */
export class SnsService {
  readonly published: {
    topicArn: string;
    subject: string;
    message: string;
    attributes: Record<string, string>;
  }[] = [];

  async handle(req: AwsRequest): Promise<LocalAnswer> {
    const f = queryFields(req);
    if (f.get('Action') !== 'Publish')
      return {
        status: 400,
        body: `<ErrorResponse><Error><Code>InvalidAction</Code></Error></ErrorResponse>`,
        xml: true,
      };
    const attributes: Record<string, string> = {};
    for (let i = 1; f.has(`MessageAttributes.entry.${i}.Name`); i++)
      attributes[f.get(`MessageAttributes.entry.${i}.Name`) ?? ''] =
        f.get(`MessageAttributes.entry.${i}.Value.StringValue`) ?? '';
    this.published.push({
      topicArn: f.get('TopicArn') ?? '',
      subject: f.get('Subject') ?? '',
      message: f.get('Message') ?? '',
      attributes,
    });
    const id = randomUUID();
    return {
      status: 200,
      xml: true,
      body: `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>${id}</MessageId></PublishResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishResponse>`,
    };
  }
}
