import { CreateScheduleCommand, type SchedulerClient } from '@aws-sdk/client-scheduler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsScheduleStore } from '../shared/adapters/scheduler/aws-schedule-store.ts';
import { checkScheduleExpression, inWindow, parseWindows } from '../shared/upgrade/maintenance-window.ts';
import { startTestApi, type TestApi } from './support/api.ts';
import { eventually } from './support/upgrade.ts';

const NOW = Date.parse('2026-11-23T12:00:00Z'); // a Monday

describe('maintenance windows', () => {
  const windows = parseWindows('Sat 02:00-06:00, Sun 23:00-01:00');
  it('accepts starts inside a window and refuses the rest, naming the windows', () => {
    expect(inWindow(windows, 6, 3 * 60)).toBe(true);
    expect(inWindow(windows, 6, 6 * 60)).toBe(false);
    expect(inWindow(windows, 1, 30)).toBe(true); // Sun 23:00-01:00 runs past midnight into Monday
    expect(checkScheduleExpression('at(2026-11-28T03:30:00)', windows, NOW)).toBe('at(2026-11-28T03:30:00)');
    expect(() => checkScheduleExpression('at(2026-11-28T07:00:00)', windows, NOW)).toThrow(
      /outside the maintenance windows \(Sat 02:00-06:00/,
    );
    expect(() => checkScheduleExpression('at(2026-11-01T03:00:00)', windows, NOW)).toThrow(/in the past/);
    expect(checkScheduleExpression('cron(0 3 ? * SAT *)', windows, NOW)).toBe('cron(0 3 ? * SAT *)');
    expect(() => checkScheduleExpression('cron(0 3 ? * SAT,WED *)', windows, NOW)).toThrow(
      /WED 3:0 UTC, outside/,
    );
    expect(() => checkScheduleExpression('rate(5 minutes)', windows, NOW)).toThrow(
      /at\(yyyy-mm-ddThh:mm:ss\)/,
    );
    expect(() => parseWindows('Caturday 02:00-03:00')).toThrow(/must look like/);
  });
});

describe('scheduled upgrades on the embedded runtime', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await api.stop();
  });

  it('an at() schedule starts the same state machine, which registers the upgrade itself', async () => {
    const when = new Date(Date.now() + 2000).toISOString().slice(0, 19);
    const created = await api.admin('POST', '/admin/upgrade/schedules', {
      name: 'nightly-2',
      schedule: `at(${when})`,
      upgrade: { target_version: '2.0.0', reason: 'scheduled' },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const listed = (await api.admin('GET', '/admin/upgrade/schedules')).body.schedules as { name: string }[];
    expect(listed.map((s) => s.name)).toEqual(['nightly-2']);
    await eventually(async () => {
      const history = (await api.admin('GET', '/admin/upgrades')).body.upgrades as { outcome: string }[];
      return history[0]?.outcome === 'succeeded';
    });
    const [upgrade] = (await api.admin('GET', '/admin/upgrades')).body.upgrades as Record<string, unknown>[];
    expect(upgrade).toMatchObject({ to: '2.0.0', outcome: 'succeeded' });
    expect(String(upgrade?.requested_by)).toMatch(/^scheduler:nightly-2-/);
    expect((await api.admin('GET', '/admin/drain/status')).body).toMatchObject({
      mode: 'Active',
      version: '2.0.0',
    });
  });

  it('refuses bad schedules with a 4xx that says why, and deletes schedules', async () => {
    const past = await api.admin('POST', '/admin/upgrade/schedules', {
      name: 'old',
      schedule: 'at(2020-01-01T00:00:00)',
      upgrade: { target_version: '3.0.0', reason: 'x' },
    });
    expect(past.status).toBe(400);
    const cron = await api.admin('POST', '/admin/upgrade/schedules', {
      name: 'weekly',
      schedule: 'cron(0 3 ? * SAT *)',
      upgrade: { target_version: '3.0.0', reason: 'x' },
    });
    expect(cron.status).toBe(501);
    expect(cron.body.message).toContain('EventBridge Scheduler');
    const later = new Date(Date.now() + 3_600_000).toISOString().slice(0, 19);
    expect(
      (
        await api.admin('POST', '/admin/upgrade/schedules', {
          name: 'later',
          schedule: `at(${later})`,
          upgrade: { target_version: '3.0.0', reason: 'x' },
        })
      ).status,
    ).toBe(201);
    expect((await api.admin('DELETE', '/admin/upgrade/schedules/later')).status).toBe(200);
    expect((await api.admin('DELETE', '/admin/upgrade/schedules/later')).status).toBe(404);
  });
});

describe('EventBridge Scheduler adapter', () => {
  // EventBridge Scheduler has no local engine: its client is replaced by a recorder of the commands sent.
  it('creates a schedule that starts only the upgrade state machine, with the request as input', async () => {
    const sent: unknown[] = [];
    const client = { send: async (cmd: unknown) => void sent.push(cmd) } as unknown as SchedulerClient;
    const store = new AwsScheduleStore(
      {
        groupName: 'ucp-upgrades',
        stateMachineArn: 'arn:aws:states:eu-west-1:1:stateMachine:upgrade',
        roleArn: 'arn:aws:iam::1:role/sched',
      },
      client,
    );
    await store.create({
      name: 'once',
      expression: 'at(2026-11-28T03:30:00)',
      request: { target_version: '2.0.0', reason: 'r' },
    });
    const cmd = sent[0] as CreateScheduleCommand;
    expect(cmd).toBeInstanceOf(CreateScheduleCommand);
    expect(cmd.input).toMatchObject({
      Name: 'once',
      GroupName: 'ucp-upgrades',
      ScheduleExpressionTimezone: 'UTC',
      ActionAfterCompletion: 'NONE', // kept after firing, so the list reports what became of it
      Target: {
        Arn: 'arn:aws:states:eu-west-1:1:stateMachine:upgrade',
        RoleArn: 'arn:aws:iam::1:role/sched',
      },
    });
    expect(JSON.parse(cmd.input.Target?.Input ?? '{}')).toEqual({
      scheduled: true,
      schedule_name: 'once',
      request: { target_version: '2.0.0', reason: 'r' },
    });
  });
});
