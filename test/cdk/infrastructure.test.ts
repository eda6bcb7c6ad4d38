import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { routeFunctionId } from '../../cdk/api-stack.ts';
import { instanceNames } from '../../cdk/instance.ts';
import { intentUrlOutput } from '../../cdk/intent-urls.ts';
import { ROUTES } from '../../lambdas/routes.ts';
import { WORKFLOW_TASKS } from '../../lambdas/workflow/tasks.ts';
import { ASL_FILE } from '../../local/workflow/local-workflow-engine.ts';
import { type Resources, type SynthesizedApp, synthesizeForTemplateTests } from './synth-app.ts';

let data: Template;
let service: Template;
let stacks: SynthesizedApp['stacks'];
let outdir: string;
let synthError: unknown = null;

beforeAll(() => {
  ({ data, service, stacks, outdir, synthError } = synthesizeForTemplateTests());
}, 120_000);

const policiesOf = (t: Template) => t.findResources('AWS::IAM::Policy') as Resources;
const statements = (p: { Properties: Record<string, unknown> }) =>
  (
    p.Properties.PolicyDocument as {
      Statement: { Action: string | string[]; Resource: unknown; Effect: string }[];
    }
  ).Statement;
const actionsOf = (s: { Action: string | string[] }) => (Array.isArray(s.Action) ? s.Action : [s.Action]);

describe('the CDK app', () => {
  it('passes cdk-nag (AwsSolutions and Serverless) with every acknowledgement reasoned', () => {
    expect(synthError, String((synthError as Error | null)?.message ?? '')).toBeNull();
    const source = readFileSync(join(import.meta.dirname, '../../cdk/nag-acknowledgements.ts'), 'utf8');
    const calls = source.split('\n  ack(').slice(1);
    expect(calls.length).toBeGreaterThan(5);
    for (const call of calls) {
      const [, id, reason] =
        /^\s*[\w.]+,\s*['`]([^'`]+)['`],\s*(['"])(.+)\2,?\s*\);/s.exec(call)?.filter((_, i) => i !== 2) ?? [];
      expect(id, call).toBeTruthy();
      expect(reason?.length ?? 0, `acknowledgement of ${id} needs a written reason`).toBeGreaterThan(30);
    }
  });

  it('tables have point-in-time recovery, a customer key and deletion protection', () => {
    data.resourceCountIs('AWS::DynamoDB::Table', 2);
    data.allResourcesProperties('AWS::DynamoDB::Table', {
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: Match.objectLike({ SSEEnabled: true, SSEType: 'KMS' }),
      DeletionProtectionEnabled: true,
    });
    data.hasResourceProperties('AWS::DynamoDB::Table', {
      TimeToLiveSpecification: { AttributeName: 'expires_at', Enabled: true },
    });
  });

  it('the checkpoint bucket is versioned, encrypted, private, TLS-only, logged and expires by retention_days', () => {
    data.hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: Match.objectLike({
        ServerSideEncryptionConfiguration: [
          Match.objectLike({ ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: 'aws:kms' }) }),
        ],
      }),
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'checkpoints/' }),
      LifecycleConfiguration: {
        Rules: [
          Match.objectLike({ ExpirationInDays: 21, NoncurrentVersionExpiration: { NoncurrentDays: 21 } }),
        ],
      },
    });
    const policies = data.findResources('AWS::S3::BucketPolicy') as Resources;
    const denies = Object.values(policies)
      .flatMap((p) => statements(p))
      .filter((s) => s.Effect === 'Deny');
    expect(denies.length).toBeGreaterThanOrEqual(2);
    for (const s of denies) expect(JSON.stringify(s)).toContain('"aws:SecureTransport":"false"');
  });

  it('every API method but the public GET /health needs AWS_IAM, and every route of lambdas/routes.ts is there', () => {
    const methods = Object.values(service.findResources('AWS::ApiGateway::Method') as Resources);
    expect(methods).toHaveLength(ROUTES.length);
    const open = methods.filter((m) => m.Properties.AuthorizationType !== 'AWS_IAM');
    expect(open).toHaveLength(ROUTES.filter((r) => r.access === 'public').length);
    for (const m of open)
      expect(m.Properties).toMatchObject({ HttpMethod: 'GET', AuthorizationType: 'NONE' });
    expect(methods.map((m) => m.Properties.HttpMethod).sort()).toEqual(ROUTES.map((r) => r.method).sort());
    service.hasResourceProperties('AWS::ApiGateway::Stage', {
      TracingEnabled: true,
      AccessLogSetting: Match.objectLike({ DestinationArn: Match.anyValue() }),
      MethodSettings: Match.arrayWith([
        Match.objectLike({ HttpMethod: '*', ThrottlingRateLimit: 2000, ThrottlingBurstLimit: 1000 }),
      ]),
    });
  });

  it('admin and intent routes are granted to separate roles', () => {
    const policy = (role: string) =>
      Object.entries(policiesOf(service)).find(([id]) =>
        id.startsWith(`Api${role}RoleDefaultPolicy`),
      )?.[1] as Resources[string];
    const admin = JSON.stringify(policy('Admin'));
    const intent = JSON.stringify(policy('Intent'));
    expect(admin).toContain('/POST/admin/drain/start');
    expect(admin).not.toContain('/POST/intents');
    expect(intent).toContain('/POST/intents');
    expect(intent).not.toContain('/admin/');
  });

  it('the intent functions have AWS_IAM function URLs, output by name, which only the intent role may invoke', () => {
    const intentRoutes = ROUTES.filter((r) => r.access === 'intent');
    const urls = Object.values(service.findResources('AWS::Lambda::Url') as Resources);
    expect(urls).toHaveLength(intentRoutes.length);
    const targets = urls.map(
      (u) => (u.Properties.TargetFunctionArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0],
    );
    expect(targets.map((t) => t.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual(
      intentRoutes.map((r) => routeFunctionId(r.handler)).sort(),
    );
    for (const u of urls) expect(u.Properties.AuthType).toBe('AWS_IAM');
    const outputs = stacks.api.toJSON().Outputs as Record<string, { Value: { 'Fn::GetAtt': string[] } }>;
    for (const r of intentRoutes) {
      const value = outputs[intentUrlOutput(r.handler)]?.Value['Fn::GetAtt'];
      expect(value?.[1], r.handler).toBe('FunctionUrl');
      expect(value?.[0]).toMatch(new RegExp(`^${routeFunctionId(r.handler)}FunctionUrl`));
    }
    // Lambda's own grants: InvokeFunctionUrl on an AWS_IAM URL, InvokeFunction only through a URL; both on exactly
    // the three functions, and no other principal of the app holds either (no resource policy opens a URL).
    const lambdaGrants = Object.entries(policiesOf(service)).flatMap(([id, p]) =>
      statements(p)
        .filter((s) => actionsOf(s).some((a) => /^lambda:InvokeFunction(Url)?$/.test(a)))
        .map((s) => ({ id, s })),
    );
    const toIntentRole = lambdaGrants.filter((g) => g.id.startsWith('ApiIntentRoleDefaultPolicy'));
    expect(toIntentRole.map((g) => g.s)).toEqual([
      {
        Action: 'lambda:InvokeFunctionUrl',
        Effect: 'Allow',
        Condition: { StringEquals: { 'lambda:FunctionUrlAuthType': 'AWS_IAM' } },
        Resource: targets.map((t) => ({ 'Fn::GetAtt': [t, 'Arn'] })),
      },
      {
        Action: 'lambda:InvokeFunction',
        Effect: 'Allow',
        Condition: { Bool: { 'lambda:InvokedViaFunctionUrl': 'true' } },
        Resource: targets.map((t) => ({ 'Fn::GetAtt': [t, 'Arn'] })),
      },
    ]);
    const others = lambdaGrants.filter((g) => !g.id.startsWith('ApiIntentRoleDefaultPolicy'));
    expect(JSON.stringify(others)).not.toMatch(/ApiIntent(Register|Update|Complete)/);
    expect(others.flatMap((g) => actionsOf(g.s))).not.toContain('lambda:InvokeFunctionUrl');
    const permissions = Object.values(service.findResources('AWS::Lambda::Permission') as Resources);
    const onUrls = permissions.filter((p) =>
      targets.some((t) => JSON.stringify(p.Properties.FunctionName).includes(t)),
    );
    expect(onUrls.map((p) => p.Properties.Principal)).toEqual(
      intentRoutes.map(() => 'apigateway.amazonaws.com'),
    );
  });

  it('the state machine is the ASL file, byte for byte, with every placeholder bound to a function of the stack', () => {
    const [machine] = Object.values(service.findResources('AWS::StepFunctions::StateMachine') as Resources);
    const props = machine?.Properties as {
      DefinitionS3Location: unknown;
      DefinitionSubstitutions: Record<string, { 'Fn::GetAtt': [string, string] }>;
      TracingConfiguration: unknown;
      LoggingConfiguration: { Level: string };
    };
    const asl = readFileSync(ASL_FILE, 'utf8');
    const placeholders = [...new Set([...asl.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]))].sort();
    expect(Object.keys(props.DefinitionSubstitutions).sort()).toEqual(placeholders);
    expect(placeholders).toHaveLength(Object.keys(WORKFLOW_TASKS).length);
    const functions = service.findResources('AWS::Lambda::Function') as Resources;
    for (const value of Object.values(props.DefinitionSubstitutions)) {
      expect(functions[value['Fn::GetAtt'][0]]?.Type).toBe('AWS::Lambda::Function');
    }
    const key = (props.DefinitionS3Location as { Key: string }).Key;
    expect(readFileSync(join(outdir, key.replace(/^.*?([0-9a-f]{64}\.json)$/, 'asset.$1')), 'utf8')).toBe(
      asl,
    );
    expect(props.TracingConfiguration).toEqual({ Enabled: true });
    expect(props.LoggingConfiguration.Level).toBe('ALL');
  });

  it('the state machine may invoke only its Task functions', () => {
    const role = Object.entries(policiesOf(service)).find(([id]) =>
      id.startsWith('UpgradeRoleDefaultPolicy'),
    )?.[1] as Resources[string];
    const invoke = statements(role).filter((s) => actionsOf(s).includes('lambda:InvokeFunction'));
    expect(invoke).toHaveLength(1);
    const resources = (invoke[0] as { Resource: { 'Fn::GetAtt': [string, string] }[] }).Resource;
    const targets = resources.map((r) => r['Fn::GetAtt'][0]);
    expect(targets.every((t) => t.startsWith('Task'))).toBe(true);
    expect(targets).toHaveLength(Object.keys(WORKFLOW_TASKS).length);
  });

  it('no function policy grants a wildcard action on DynamoDB or S3, and each gets only what it uses', () => {
    for (const [id, policy] of Object.entries(policiesOf(service))) {
      for (const s of statements(policy)) {
        for (const action of actionsOf(s)) {
          if (/^(dynamodb|s3):/.test(action)) expect(action, `${id}: ${action}`).not.toContain('*');
        }
      }
    }
    const of = (prefix: string) =>
      Object.entries(policiesOf(service))
        .filter(([id]) => id.startsWith(prefix))
        .flatMap(([, p]) => statements(p))
        .flatMap(actionsOf)
        .filter((a) => /^(dynamodb|s3|states):/.test(a))
        .sort();
    // Get and Update only on the control table's OUTCOMES* keys (the bake's outcome counts: aws-limits test).
    expect(of('ApiIntentComplete')).toEqual([
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:UpdateItem',
    ]);
    expect(of('ApiIntentUpdate')).toEqual(['dynamodb:UpdateItem']);
    expect(of('ApiHealth')).not.toContain('dynamodb:PutItem');
    expect(of('ApiUpgradeStart')).toContain('states:StartExecution');
    expect(of('ApiDrainStatus')).not.toContain('states:StartExecution');
  });

  it('functions run Node.js 22 on arm64 with tracing, explicit memory and timeout, and their own log group', () => {
    const all = Object.entries(service.findResources('AWS::Lambda::Function') as Resources);
    // Besides them, only the CDK's provider of the deploy's trigger (it runs the initialiser once per change).
    const cdkOwn = all.filter(([id]) => id.startsWith('AWSCDKTriggerCustomResourceProvider'));
    expect(cdkOwn).toHaveLength(1);
    const functions = all
      .filter(([id]) => !id.startsWith('AWSCDKTriggerCustomResourceProvider'))
      .map(([, f]) => f);
    expect(functions.length).toBe(
      // One per route, one per Task, the per-minute drain-gauge emitter, proposal sweep and protocol rollout tick
      // (cdk/upgrade-watchers.ts), and the deploy's initialiser (cdk/api-stack.ts).
      new Set(ROUTES.map((r) => r.handler)).size + Object.keys(WORKFLOW_TASKS).length + 4,
    );
    const intentFunctions = new Set(
      ROUTES.filter((r) => r.access === 'intent').map((r) => `${r.method} ${r.resource}`),
    );
    for (const f of functions) {
      // The intent routes' functions trace what the caller sampled (test/cdk/hot-path.test.ts); the rest, Active.
      const hot = intentFunctions.has(String(f.Properties.Description));
      expect(f.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: hot ? 'PassThrough' : 'Active' },
      });
      expect(f.Properties.MemorySize).toBeGreaterThan(0);
      expect(f.Properties.Timeout).toBeGreaterThan(0);
      expect(f.Properties.LoggingConfig).toMatchObject({ LogGroup: expect.anything() });
    }
  });

  it("the seeds' alarms exist and every alarm notifies the SNS topic", () => {
    for (const name of [
      'UpgradeDrainTimeout',
      'UpgradeInflightStuck',
      'UpgradeRollbackOccurred',
      'UpgradeSmokeTestFailed',
      'UpgradeUnapprovedExecutionRefused',
      'UpgradeExecutionsFailed',
      'UpgradeExecutionsTimedOut',
    ]) {
      service.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: instanceNames().alarm(name) });
    }
    const alarms = Object.values(service.findResources('AWS::CloudWatch::Alarm') as Resources);
    for (const a of alarms) expect(JSON.stringify(a.Properties.AlarmActions)).toContain('Alarms');
    expect(alarms.length).toBeGreaterThan(5);
    service.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });

  it('the deploy runs the initialiser (a Trigger): at creation, and again whenever its code changes', () => {
    const [trigger] = Object.values(service.findResources('Custom::Trigger') as Resources);
    expect(trigger?.Properties).toMatchObject({
      InvocationType: 'RequestResponse',
      ExecuteOnHandlerChange: true,
    });
    const version = (trigger?.Properties.HandlerArn as { Ref: string } | undefined)?.Ref ?? '';
    const target = (service.findResources('AWS::Lambda::Version') as Resources)[version];
    expect(JSON.stringify(target?.Properties.FunctionName)).toMatch(/"InitialiseDeployment[0-9A-F]{8}"/);
  });

  it('the Scheduler role can start only this state machine', () => {
    const policy = Object.entries(policiesOf(service)).find(([id]) =>
      id.startsWith('SchedulerRoleDefaultPolicy'),
    )?.[1] as Resources[string];
    const s = statements(policy);
    expect(s).toHaveLength(1);
    expect(actionsOf(s[0] as { Action: string })).toEqual(['states:StartExecution']);
    expect(s[0]?.Resource).toEqual({ Ref: expect.stringMatching(/^Upgrade[0-9A-F]{8}$/) });
    service.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({
        Statement: [Match.objectLike({ Principal: { Service: 'scheduler.amazonaws.com' } })],
      }),
    });
    service.resourceCountIs('AWS::Scheduler::ScheduleGroup', 1);
  });
});
