import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import type { AlarmSource } from '../../upgrade/bake/alarm-source.ts';

/** The bake's alarm trigger on AWS: DescribeAlarms for exactly the named alarms (IAM grants just those). */
export class CloudWatchAlarms implements AlarmSource {
  private readonly cw: CloudWatchClient;

  constructor(region: string | undefined) {
    this.cw = new CloudWatchClient({ region });
  }

  async inAlarm(names: readonly string[]): Promise<string[]> {
    const out = await this.cw.send(
      new DescribeAlarmsCommand({ AlarmNames: [...names], AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }),
    );
    const all = [...(out.MetricAlarms ?? []), ...(out.CompositeAlarms ?? [])];
    return all.filter((a) => a.StateValue === 'ALARM').map((a) => String(a.AlarmName));
  }
}
