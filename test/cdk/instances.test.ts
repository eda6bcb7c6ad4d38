import { describe, expect, it } from 'vitest';
import { instanceNames } from '../../cdk/instance.ts';
import { CONCERNS, type Resources, synthesizeForTemplateTests } from './synth-app.ts';

/** Properties that name a resource in the account and Region (what two deployments must not share). */
const NAME_PROPERTIES = [
  'StateMachineName',
  'Name',
  'DashboardName',
  'AlarmName',
  'LogGroupName',
  'FunctionName',
  'RoleName',
  'TableName',
  'BucketName',
  'TopicName',
  'QueueName',
  'GroupName',
];

/** A name the template sets (a literal, or one built with Join), not a reference to another resource's name. */
const fixes = (v: unknown) =>
  typeof v === 'string' || (!!v && typeof v === 'object' && Object.keys(v)[0] === 'Fn::Join');

/** Every physical name one instance's templates fix: stacks, named resources, exports. */
function physicalNames(instance: string): string[] {
  const app = synthesizeForTemplateTests({ instance });
  expect(app.synthError, String((app.synthError as Error | null)?.message ?? '')).toBeNull();
  const names: string[] = [];
  for (const concern of CONCERNS) {
    names.push(`stack:${app.stackNames[concern]}`);
    const t = app.stacks[concern].toJSON() as {
      Resources: Resources;
      Outputs?: Record<string, { Export?: { Name: unknown } }>;
    };
    for (const [id, r] of Object.entries(t.Resources))
      for (const p of NAME_PROPERTIES)
        if (fixes(r.Properties?.[p])) names.push(`${r.Type}:${JSON.stringify(r.Properties[p])}#${id}`);
    for (const out of Object.values(t.Outputs ?? {}))
      if (out.Export) names.push(`export:${JSON.stringify(out.Export.Name)}`);
  }
  return names;
}

describe('instances (-c instance=...)', () => {
  it('two instances synthesize side by side: no stack, resource or export name in common', () => {
    const staging = physicalNames('staging');
    const production = physicalNames('production');
    expect(staging.length).toBeGreaterThan(10);
    // Each kind of fixed name is there: stacks, the state machine, the schedule group, the dashboard, alarms, exports.
    for (const kind of [
      'stack:',
      'StateMachine',
      'ScheduleGroup',
      'Dashboard',
      'Alarm',
      'LogGroup',
      'export:',
    ])
      expect(
        staging.some((n) => n.includes(kind)),
        kind,
      ).toBe(true);
    const bare = (n: string) => n.replace(/#.*$/, '');
    const shared = staging.map(bare).filter((n) => production.map(bare).includes(n));
    expect(shared).toEqual([]);
  }, 120_000);

  it('names derive from the instance, and a name AWS could not take fails the synth', () => {
    const n = instanceNames('staging');
    expect([
      n.stack('api'),
      n.stateMachine,
      n.scheduleGroup,
      n.dashboard,
      n.alarm('UpgradeDrainTimeout'),
    ]).toEqual([
      'ucp-staging-api',
      'ucp-staging-upgrade',
      'ucp-staging',
      'ucp-staging',
      'ucp-staging-UpgradeDrainTimeout',
    ]);
    expect(instanceNames().instance).toBe('main');
    expect(() => instanceNames('Staging_1')).toThrow(/lower-case letters/);
  });
});
