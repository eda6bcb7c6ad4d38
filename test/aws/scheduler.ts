import type { IamEvaluator } from './iam.ts';
import type { LocalAnswer } from './proxy.ts';
import type { AwsRequest } from './requests.ts';
import { ACCOUNT, REGION } from './template.ts';

interface Schedule {
  Name: string;
  GroupName: string;
  ScheduleExpression: string;
  ActionAfterCompletion?: string;
  Target: { Arn: string; RoleArn: string; Input?: string };
  CreationDate: number;
  State: string;
}

/** Starts a state machine execution with the input, as the schedule's role would (false: refused). */
export type StartAs = (roleArn: string, stateMachineArn: string, input: unknown) => Promise<boolean>;

/**
 * EventBridge Scheduler's REST API in memory; one-time `at(...)` schedules fire when due, assuming the target role:
 * its policy must allow states:StartExecution, as on AWS.
 */
export class SchedulerService {
  private readonly schedules = new Map<string, Schedule>();
  private readonly timer: NodeJS.Timeout;
  /** What each firing did: started, or refused by the role's policy. */
  readonly firings: { name: string; started: boolean }[] = [];

  constructor(
    private readonly startAs: StartAs,
    private readonly iam: IamEvaluator,
    private readonly rolePolicies: Map<string, { name: string; policy: unknown }[]>,
  ) {
    this.timer = setInterval(() => void this.fire(), 250);
    this.timer.unref();
  }

  async handle(req: AwsRequest): Promise<LocalAnswer> {
    const parts = req.url.pathname.split('/').filter(Boolean);
    const name = parts[1] ? decodeURIComponent(parts[1]) : undefined;
    const group = req.url.searchParams.get('groupName') ?? 'default';
    if (!name) {
      const g = req.url.searchParams.get('ScheduleGroup');
      const list = [...this.schedules.values()].filter((s) => !g || s.GroupName === g);
      return {
        status: 200,
        body: { Schedules: list.map((s) => ({ Name: s.Name, GroupName: s.GroupName, State: s.State })) },
      };
    }
    if (req.method === 'POST') {
      const body = JSON.parse(req.body.toString('utf8')) as Omit<Schedule, 'Name' | 'CreationDate' | 'State'>;
      const key = `${body.GroupName}/${name}`;
      if (this.schedules.has(key))
        return this.error(409, 'ConflictException', `Schedule ${name} already exists.`);
      this.schedules.set(key, { ...body, Name: name, CreationDate: Date.now() / 1000, State: 'ENABLED' });
      return {
        status: 200,
        body: { ScheduleArn: `arn:aws:scheduler:${REGION}:${ACCOUNT}:schedule/${body.GroupName}/${name}` },
      };
    }
    const s = this.schedules.get(`${group}/${name}`);
    if (!s) return this.error(404, 'ResourceNotFoundException', `Schedule ${name} does not exist.`);
    if (req.method === 'DELETE') {
      this.schedules.delete(`${group}/${name}`);
      return { status: 200, body: {} };
    }
    return { status: 200, body: s };
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private error(status: number, type: string, message: string): LocalAnswer {
    return { status, body: { Message: message }, headers: { 'x-amzn-errortype': type } };
  }

  private async fire(): Promise<void> {
    for (const [key, s] of [...this.schedules]) {
      if (s.State === 'DISABLED') continue; // a one-time schedule fires once, then stays listed (NONE)
      const at = /^at\((.+)\)$/.exec(s.ScheduleExpression)?.[1];
      if (!at || Date.parse(`${at}Z`) > Date.now()) continue;
      this.schedules.delete(key);
      const principal = s.Target.RoleArn.replace(':iam::', ':sts::').replace(':role/', ':assumed-role/');
      const denied = await this.iam.check(
        `${principal}/scheduler`,
        this.rolePolicies.get(s.Target.RoleArn) ?? [],
        {
          action: 'states:StartExecution',
          resource: s.Target.Arn,
        },
      );
      const started =
        !denied && (await this.startAs(s.Target.RoleArn, s.Target.Arn, JSON.parse(s.Target.Input ?? '{}')));
      this.firings.push({ name: s.Name, started });
      if (s.ActionAfterCompletion !== 'DELETE') this.schedules.set(key, { ...s, State: 'DISABLED' });
    }
  }
}
