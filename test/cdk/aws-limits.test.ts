import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { INTENT_THROTTLE } from '../../cdk/api.ts';
import { routeFunctionId } from '../../cdk/api-stack.ts';
import { approvalFrom } from '../../cdk/build-app.ts';
import { instanceNames } from '../../cdk/instance.ts';
import { ROUTES } from '../../lambdas/routes.ts';
import { IamEvaluator } from '../aws/iam.ts';
import { ACCOUNT, REGION } from '../aws/template.ts';
import { APPROVAL_CONTEXT, type Resources, synthesizeForTemplateTests } from './synth-app.ts';

/** CloudFormation allows 500 resources per stack; each stack stays at 60% of that, room for new routes and tasks. */
const MAX_RESOURCES_PER_STACK = 300;
const SCHEDULE_GROUP = instanceNames().scheduleGroup;

let data: Template;
let service: Template;
let stacks: Record<string, Template>;

beforeAll(() => {
  const app = synthesizeForTemplateTests();
  expect(app.synthError, String((app.synthError as Error | null)?.message ?? '')).toBeNull();
  ({ data, service, stacks } = app);
}, 120_000);

type Statement = { Action: string | string[]; Resource: unknown; Effect: string; Condition?: unknown };
const statementsOf = (t: Template, idPrefix: string): Statement[] =>
  Object.entries(t.findResources('AWS::IAM::Policy') as Resources)
    .filter(([id]) => id.startsWith(idPrefix))
    .flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
const actions = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const text = (x: unknown) => JSON.stringify(x);

describe('the templates, under what AWS enforces', () => {
  it(`each stack has at most ${MAX_RESOURCES_PER_STACK} resources (CloudFormation stops at 500)`, () => {
    expect(Object.keys(stacks).sort()).toEqual(['api', 'data', 'observability', 'workflow']);
    for (const [concern, t] of Object.entries(stacks)) {
      const count = Object.keys(t.toJSON().Resources as object).length;
      expect(count, concern).toBeLessThanOrEqual(MAX_RESOURCES_PER_STACK);
    }
  });

  it('function errors and throttles are alarmed by a few metric-math alarms, each within the 10-metric limit', () => {
    // In each stack that owns functions, on its own functions (the CDK's trigger provider aside).
    for (const concern of ['workflow', 'api']) {
      const t = stacks[concern] as Template;
      const functions = Object.values(t.findResources('AWS::Lambda::Function') as Resources).filter(
        (f) =>
          f.Properties.Runtime === 'nodejs22.x' && text(f.Properties.Environment).includes('CONTROL_TABLE'),
      ).length;
      const alarms = Object.values(t.findResources('AWS::CloudWatch::Alarm') as Resources);
      const perFunction = alarms.filter((a) => text(a.Properties).includes('AWS/Lambda'));
      expect(perFunction.length, concern).toBeLessThanOrEqual(Math.ceil(functions / 5));
      const watched = new Set<string>();
      for (const a of perFunction) {
        const metrics = (a.Properties.Metrics as { MetricStat?: unknown }[]).filter((m) => m.MetricStat);
        expect(metrics.length).toBeLessThanOrEqual(10);
        for (const m of metrics) watched.add(text(m.MetricStat));
      }
      expect(watched.size, concern).toBe(functions * 2);
    }
  });

  it('no ARN hard-codes the aws partition (but the approvers the operator wrote, as given)', () => {
    const given = String(APPROVAL_CONTEXT.approvers);
    for (const t of [data, service])
      expect(text(t.toJSON()).replaceAll(given, '<approvers>')).not.toMatch(/"arn:aws:|\barn:aws:/);
  });

  it("schedule actions reach only the project's schedule group, and PassRole only to EventBridge Scheduler", () => {
    const all = statementsOf(service, 'ApiSchedule');
    const scheduleActions = all.filter((s) => actions(s).some((a) => /^scheduler:\w+Schedule$/.test(a)));
    expect(scheduleActions.length).toBeGreaterThan(0);
    for (const s of scheduleActions) {
      expect(text(s.Resource)).toContain(`:schedule/${SCHEDULE_GROUP}/*`);
      expect(text(s.Resource)).not.toMatch(/:schedule\/\*"/);
    }
    const passRole = all.filter((s) => actions(s).includes('iam:PassRole'));
    expect(passRole.length).toBeGreaterThan(0);
    for (const s of passRole) {
      expect(s.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } });
    }
  });

  it('task callbacks are granted as AWS evaluates them: SendTask* have no resource-level permissions', () => {
    for (const handler of ['ApiUpgradeContinue', 'ApiUpgradeConfirmMigration', 'ApiUpgradeAbort']) {
      const signal = statementsOf(service, handler).filter((s) =>
        actions(s).includes('states:SendTaskSuccess'),
      );
      expect(signal.length, handler).toBeGreaterThan(0);
      for (const s of signal) expect(s.Resource, handler).toBe('*');
    }
  });

  it('only EventBridge Scheduler acting for this account may assume the scheduler role', () => {
    const roles = Object.values(service.findResources('AWS::IAM::Role') as Resources).filter((r) =>
      text(r.Properties.AssumeRolePolicyDocument).includes('scheduler.amazonaws.com'),
    );
    expect(roles).toHaveLength(1);
    const trust = (roles[0]?.Properties.AssumeRolePolicyDocument as { Statement: Statement[] } | undefined)
      ?.Statement[0];
    expect(trust?.Condition).toEqual({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } });
  });

  it('only the routes that must write intents can, each with only the action it needs', () => {
    const writes = [
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
      'dynamodb:BatchWriteItem',
    ];
    const writersOfIntents = new Map<string, string[]>();
    for (const route of ROUTES) {
      const id = routeFunctionId(route.handler);
      const onIntents = statementsOf(service, id).filter((s) => text(s.Resource).includes('Intents'));
      const w = onIntents.flatMap(actions).filter((a) => writes.includes(a));
      if (w.length) writersOfIntents.set(route.handler, w.sort());
    }
    expect(Object.fromEntries(writersOfIntents)).toEqual({
      'intent-register': ['dynamodb:DeleteItem', 'dynamodb:PutItem'], // a refused registration removes its item
      'intent-update': ['dynamodb:UpdateItem'],
      'intent-complete': ['dynamodb:DeleteItem'],
      // Cancelling a drain or resuming lifts the freezes an upgrade's checkpoint left and removes what refused
      // registrations left behind: no Put.
      'drain-cancel': ['dynamodb:DeleteItem', 'dynamodb:UpdateItem'],
      'drain-resume': ['dynamodb:DeleteItem', 'dynamodb:UpdateItem'],
    });
  });

  it('completion may touch the control table only to count outcomes (OUTCOMES* keys, Get and Update)', async () => {
    const onControl = statementsOf(service, 'ApiIntentComplete').filter((s) =>
      text(s.Resource).includes('FnGetAttControl'),
    );
    expect(onControl.map((s) => actions(s).sort())).toEqual([['dynamodb:GetItem', 'dynamodb:UpdateItem']]);
    // Evaluated as IAM does: the leading key decides.
    const table = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/control`;
    const policy = { Version: '2012-10-17', Statement: onControl.map((s) => ({ ...s, Resource: table })) };
    const iam = new IamEvaluator();
    const call = (action: string, pk: string) =>
      iam.check(`arn:aws:sts::${ACCOUNT}:assumed-role/complete/x`, [{ name: 'p', policy }], {
        action,
        resource: table,
        context: { 'dynamodb:LeadingKeys': [pk] },
      });
    expect(await call('dynamodb:UpdateItem', 'OUTCOMES#u-1#3')).toBeNull();
    expect(await call('dynamodb:GetItem', 'OUTCOMES')).toBeNull();
    expect(await call('dynamodb:UpdateItem', 'UPGRADES')).not.toBeNull();
    expect(await call('dynamodb:GetItem', 'MODE')).not.toBeNull();
    expect(await call('dynamodb:DeleteItem', 'OUTCOMES')).not.toBeNull();
  });

  it('GET /health can be called unsigned (uptime checks, load balancers); nothing else can', () => {
    const methods = Object.values(service.findResources('AWS::ApiGateway::Method') as Resources);
    const open = methods.filter((m) => m.Properties.AuthorizationType !== 'AWS_IAM');
    expect(open.map((m) => m.Properties.HttpMethod)).toEqual(['GET']);
    const healthResource = Object.entries(
      service.findResources('AWS::ApiGateway::Resource') as Resources,
    ).find(([, r]) => r.Properties.PathPart === 'health')?.[0];
    expect(open[0]?.Properties.ResourceId).toEqual({ Ref: healthResource });
  });

  it("the intent routes are throttled at the fence's design rate (10,000 admissions/s)", () => {
    const [stage] = Object.values(service.findResources('AWS::ApiGateway::Stage') as Resources);
    const settings = stage?.Properties.MethodSettings as {
      HttpMethod: string;
      ResourcePath: string;
      ThrottlingRateLimit: number;
      ThrottlingBurstLimit: number;
    }[];
    for (const route of ROUTES.filter((r) => r.access === 'intent')) {
      const path = `/${route.resource.replace(/\//g, '~1')}`; // AWS escapes the path's slashes
      const s = settings.find((m) => m.HttpMethod === route.method && m.ResourcePath === path);
      expect(s, `${route.method} ${route.resource}`).toMatchObject({
        LoggingLevel: 'ERROR',
        MetricsEnabled: true,
        ThrottlingRateLimit: INTENT_THROTTLE.rateLimit,
        ThrottlingBurstLimit: INTENT_THROTTLE.burstLimit,
      });
    }
    expect(INTENT_THROTTLE.rateLimit).toBeGreaterThanOrEqual(10_000);
  });

  it('no API Gateway request validator without models (it would validate nothing)', () => {
    const validators = Object.keys(service.findResources('AWS::ApiGateway::RequestValidator')).length;
    const models = Object.keys(service.findResources('AWS::ApiGateway::Model')).length;
    expect(validators === 0 || models > 0).toBe(true);
    for (const m of Object.values(service.findResources('AWS::ApiGateway::Method') as Resources)) {
      expect(m.Properties.RequestValidatorId === undefined || models > 0).toBe(true);
    }
  });

  it("the state machine's log group is under /aws/vendedlogs/states/", () => {
    const [machine] = Object.values(service.findResources('AWS::StepFunctions::StateMachine') as Resources);
    const destination = text(machine?.Properties.LoggingConfiguration);
    const groups = service.findResources('AWS::Logs::LogGroup') as Resources;
    const [id, group] =
      Object.entries(groups).find(([logicalId]) => destination.includes(`"${logicalId}"`)) ?? [];
    expect(id).toBeDefined();
    // Named after the stack's own id (retained, yet a delete and redeploy makes a new group, no "already exists").
    const name = text(group?.Properties.LogGroupName);
    expect(name).toContain(`"${instanceNames().executionLogsPrefix}"`);
    expect(instanceNames().executionLogsPrefix).toMatch(/^\/aws\/vendedlogs\/states\//);
    expect(name).toContain('"AWS::StackId"');
    expect(group).toMatchObject({ DeletionPolicy: 'Retain' });
  });

  it("the Data stack's topics (alarms, proposals) are retained, like everything else there", () => {
    const topics = Object.values(data.findResources('AWS::SNS::Topic') as Resources);
    expect(topics).toHaveLength(2);
    for (const t of topics)
      expect(t).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  /** The environment of every project function (those that reach the control table), more than 40 of them. */
  const projectFunctionEnvironments = () => {
    const envs = Object.values(service.findResources('AWS::Lambda::Function') as Resources)
      .map(
        (f) => (f.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables,
      )
      .filter((v): v is Record<string, unknown> => !!v?.CONTROL_TABLE);
    expect(envs.length).toBeGreaterThan(40);
    return envs;
  };

  it('every function gets the approval policy given with -c, and the proposals topic', () => {
    for (const env of projectFunctionEnvironments()) {
      expect(env).toMatchObject({
        APPROVERS: APPROVAL_CONTEXT.approvers,
        APPROVAL_THRESHOLD: '2',
        APPROVAL_WAIVER_COUNT: '3',
      });
      expect(text(env.PROPOSAL_TOPIC_ARN)).toMatch(/Proposals/);
    }
  });

  it('the chain given with -c reaches every function as CHAIN_* (what the harness sets), the mnemonic only as a secret ARN', () => {
    for (const env of projectFunctionEnvironments()) {
      expect(env).toMatchObject({
        CHAIN_RPC_ENDPOINT: 'https://rpc.example.org:443',
        CHAIN_ID: 'example-1',
        CHAIN_PREFIX: 'wasm',
        CHAIN_GAS_PRICE: '0.025uatom',
        CHAIN_BROADCAST_POLL_MS: '2000',
      });
      expect(text(env.SIGNER_SECRET_ID)).toMatch(/ChainSigner/);
    }
  });

  it('only the functions that announce proposals and protocol rollouts may publish, and only to the proposals topic', () => {
    const publishers = Object.entries(service.findResources('AWS::IAM::Policy') as Resources)
      .filter(([, p]) =>
        (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement.some((s) =>
          actions(s).includes('sns:Publish'),
        ),
      )
      .map(([id]) => id.replace(/ServiceRoleDefaultPolicy.*$/, ''));
    expect(publishers.sort()).toEqual(
      [
        'ApiProposalApprove',
        'ApiProposalCancel',
        'ApiProposalCreate',
        'ApiProposalExecute',
        'ApiProposalReject',
        'ApiProtocolRolloutContinue',
        'ApiProtocolRolloutHold',
        'ApiProtocolRolloutRollback',
        'ApiProtocolRolloutStart',
        'ProposalSweep',
        'ProtocolRolloutTick',
        'TaskRegisterScheduled',
      ].sort(),
    );
    for (const id of publishers)
      for (const s of statementsOf(service, id).filter((x) => actions(x).includes('sns:Publish')))
        expect(text(s.Resource)).toMatch(/Proposals/);
  });

  it('a policy that could never pass fails the synth, naming the setting', () => {
    expect(() => approvalFrom((k) => ({ approvers: 'alice,bob', approvalThreshold: 3 })[k])).toThrow(
      /APPROVAL_THRESHOLD \(3\) is more than the 2 APPROVERS/,
    );
  });
});
