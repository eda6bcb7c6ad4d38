import {
  CreateScheduleCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  ListSchedulesCommand,
  ResourceNotFoundException,
  SchedulerClient,
} from '@aws-sdk/client-scheduler';
import { atTime } from '../../upgrade/maintenance-window.ts';
import { type ScheduleStore, scheduledInput, type UpgradeSchedule } from '../../upgrade/schedules.ts';

export interface AwsScheduleOptions {
  readonly groupName: string;
  readonly stateMachineArn: string;
  /** The role EventBridge Scheduler assumes: it may start only the upgrade state machine. */
  readonly roleArn: string;
  readonly region?: string | undefined;
}

const fired = (expression: string) => {
  const at = /^at\((.+)\)$/.exec(expression)?.[1];
  return at !== undefined && (atTime(at) ?? Number.POSITIVE_INFINITY) <= Date.now();
};

/** EventBridge Scheduler: each schedule starts the upgrade state machine with `{request}` as input. */
export class AwsScheduleStore implements ScheduleStore {
  readonly kind = 'aws' as const;
  private readonly client: SchedulerClient;

  constructor(
    private readonly opts: AwsScheduleOptions,
    client?: SchedulerClient,
  ) {
    this.client = client ?? new SchedulerClient({ region: opts.region });
  }

  async create(s: { name: string; expression: string; request: Record<string, unknown> }): Promise<void> {
    await this.client.send(
      new CreateScheduleCommand({
        Name: s.name,
        GroupName: this.opts.groupName,
        ScheduleExpression: s.expression,
        ScheduleExpressionTimezone: 'UTC',
        FlexibleTimeWindow: { Mode: 'OFF' },
        // Kept after firing, so the list reports what became of it (DELETE /admin/upgrade/schedules/{name} removes it).
        ActionAfterCompletion: 'NONE',
        Description: `upgrade to ${String(s.request.target_version)}: ${String(s.request.reason)}`.slice(
          0,
          512,
        ),
        Target: {
          Arn: this.opts.stateMachineArn,
          RoleArn: this.opts.roleArn,
          Input: JSON.stringify(scheduledInput(s.name, s.request)),
          RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
        },
      }),
    );
  }

  async list(): Promise<UpgradeSchedule[]> {
    const out = await this.client.send(
      new ListSchedulesCommand({ GroupName: this.opts.groupName, MaxResults: 100 }),
    );
    return Promise.all(
      (out.Schedules ?? []).map(async (summary) => {
        const s = await this.client.send(
          new GetScheduleCommand({ Name: summary.Name, GroupName: this.opts.groupName }),
        );
        const input = JSON.parse(s.Target?.Input ?? '{}') as { request?: Record<string, unknown> };
        return {
          name: s.Name ?? '',
          expression: s.ScheduleExpression ?? '',
          request: input.request ?? {},
          created_at: s.CreationDate ? s.CreationDate.toISOString() : null,
          // A one-time schedule stays ENABLED on AWS after it fired; say FIRED once its time has passed.
          state: fired(s.ScheduleExpression ?? '') ? 'FIRED' : (s.State ?? 'UNKNOWN'),
        };
      }),
    );
  }

  async delete(name: string): Promise<boolean> {
    try {
      await this.client.send(new DeleteScheduleCommand({ Name: name, GroupName: this.opts.groupName }));
      return true;
    } catch (err) {
      if (err instanceof ResourceNotFoundException) return false;
      throw err;
    }
  }
}
