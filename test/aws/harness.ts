import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { ROUTES } from '../../lambdas/routes.ts';
import { type LocalS3, startLocalS3 } from '../../local/engines/s3-server.ts';
import { ensureTables } from '../../shared/adapters/dynamodb/bootstrap.ts';
import { IamEvaluator } from './iam.ts';
import { type Invocation, LambdaRuntime, type RuntimeOptions } from './lambda.ts';
import { startAwsProxy } from './proxy.ts';
import { SchedulerService } from './scheduler.ts';
import { SnsService } from './sns.ts';
import { ACCOUNT, type FunctionSpec, readApp, type SynthesizedApp } from './template.ts';
import { WorkflowService } from './workflow.ts';

const ROOT = join(import.meta.dirname, '../..');
const SOURCES = ['cdk', 'lambdas', 'shared', 'statemachines', 'package-lock.json'];

const newest = (path: string): number => {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(s.mtimeMs, ...readdirSync(path).map((f) => newest(join(path, f))));
};

/** The cloud assembly: `cdk.out` when it is newer than every source (CI synthesizes first), else synthesized anew. */
export function cloudAssembly(): string {
  const out = join(ROOT, 'cdk.out');
  const template = join(out, 'manifest.json');
  if (
    existsSync(template) &&
    statSync(template).mtimeMs > Math.max(...SOURCES.map((s) => newest(join(ROOT, s))))
  )
    return out;
  // Into cdk.out itself, so the next test file of this run (and `npm run bench:bundles`) reuses it.
  execFileSync(join(ROOT, 'node_modules/.bin/cdk'), ['synth', '--quiet', '-o', out], {
    cwd: ROOT,
    stdio: 'pipe',
  });
  return out;
}

/** An API answer as API Gateway gives it. */
export interface ApiReply {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly headers: Record<string, string>;
}

/** A handler's proxy result as the HTTP client sees it: status, parsed body, lower-case headers. */
export function httpReply(result: unknown): ApiReply {
  const r = result as { statusCode: number; body?: string; headers?: Record<string, string> };
  return {
    status: r.statusCode,
    body: r.body ? (JSON.parse(r.body) as Record<string, unknown>) : {},
    headers: Object.fromEntries(
      Object.entries(r.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]),
    ),
  };
}

/** The caller's ARN as API Gateway reports it: an assumed-role session (its name identifies the person). */
export const userArn = (who: string): string => {
  const [role, session = 'harness'] = who.split(':');
  return `arn:aws:sts::${ACCOUNT}:assumed-role/${role}-role/${session}`;
};

/**
 * The synthesized app under AWS's rules: bundles run as Lambda runs them, every AWS call checked against the
 * function's template policy, the template's state machine in the local interpreter, Scheduler in memory.
 */
export class AwsHarness {
  readonly iam = new IamEvaluator();
  readonly lambdas: LambdaRuntime;
  readonly workflow: WorkflowService;
  readonly scheduler: SchedulerService;
  /** CloudWatch alarms have no local engine: their states are set here, read by DescribeAlarms (after IAM). */
  readonly alarms: Record<string, 'OK' | 'ALARM'> = {};
  /** SNS has no local engine: published messages are kept here (a stand-in, not a mock of behaviour under test). */
  readonly sns = new SnsService();
  private readonly proxies = new Map<string, string>();

  private constructor(
    readonly app: SynthesizedApp,
    private readonly dynamoEndpoint: string,
    readonly _s3: LocalS3,
    private readonly closers: (() => Promise<void> | void)[],
    runtime: RuntimeOptions,
  ) {
    this.lambdas = new LambdaRuntime((fn) => this.proxies.get(fn.name) ?? '', runtime);
    this.workflow = new WorkflowService(app.stateMachine.arn, app.stateMachine.definition, (arn, payload) =>
      this.invokeAs(app.stateMachine.roleArn, app.stateMachine.policies, arn, payload),
    );
    this.scheduler = new SchedulerService(
      async (_role, arn, input) => {
        const out = await this.workflow.handle({
          service: 'states',
          method: 'POST',
          url: new URL('http://states.local/'),
          target: 'AWSStepFunctions.StartExecution',
          body: Buffer.from(JSON.stringify({ stateMachineArn: arn, input: JSON.stringify(input) })),
        });
        return out.status === 200;
      },
      this.iam,
      app.rolePolicies,
    );
  }

  /** Fresh tables (the template's names) in DynamoDB Local, an S3 server with the checkpoint bucket, one proxy per function. */
  static async start(
    dynamoEndpoint: string,
    secrets: Record<string, string> = {},
    /** Added to every function's environment: what `-c` settings put there (test/cdk asserts the mapping). */
    settings: Record<string, string> = {},
    runtime: RuntimeOptions = {},
  ): Promise<AwsHarness> {
    const app = readApp(cloudAssembly());
    // DynamoDB Local on a loaded test machine answers slower than DynamoDB: the local stack's request timeout.
    for (const fn of app.functions.values())
      Object.assign(fn, {
        environment: { ...fn.environment, DYNAMODB_REQUEST_TIMEOUT_MS: '10000', ...settings },
      });
    // Lambda's /var/task has no package.json above it: outside this repository ("type": "module") the CJS bundles
    // load as CJS, as they do on AWS.
    const task = mkdtempSync(join(tmpdir(), 'ucp-task-'));
    for (const fn of app.functions.values()) {
      const dir = join(task, fn.name);
      cpSync(fn.bundleDir, dir, { recursive: true });
      Object.assign(fn, { bundleDir: dir });
    }
    const client = new DynamoDBClient({
      endpoint: dynamoEndpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const tables = { control: app.data.tables.Control ?? '', intents: app.data.tables.Intents ?? '' };
    for (const t of Object.values(tables))
      await client.send(new DeleteTableCommand({ TableName: t })).catch(() => {});
    await ensureTables(client, tables);
    client.destroy();
    const s3 = await startLocalS3({ bucket: app.data.bucket });
    const h = new AwsHarness(app, dynamoEndpoint, s3, [() => s3.stop()], runtime);
    const local = {
      monitoring: async (req: Parameters<WorkflowService['handle']>[0]) => {
        const names = (JSON.parse(req.body.toString('utf8')) as { AlarmNames?: string[] }).AlarmNames ?? [];
        const known = names.filter((n) => h.alarms[n]);
        return {
          status: 200,
          body: {
            MetricAlarms: known.map((n) => ({ AlarmName: n, StateValue: h.alarms[n] })),
            CompositeAlarms: [],
          },
        };
      },
      sns: (req: Parameters<WorkflowService['handle']>[0]) => h.sns.handle(req),
      states: (req: Parameters<WorkflowService['handle']>[0]) => h.workflow.handle(req),
      scheduler: (req: Parameters<SchedulerService['handle']>[0]) => h.scheduler.handle(req),
      secretsmanager: async (req: Parameters<WorkflowService['handle']>[0]) => {
        const id = String((JSON.parse(req.body.toString('utf8')) as { SecretId?: string }).SecretId);
        const value = secrets[id];
        return value === undefined
          ? { status: 400, body: { __type: 'ResourceNotFoundException', message: `no secret ${id}` } }
          : { status: 200, body: { ARN: id, Name: id, SecretString: value } };
      },
    };
    for (const fn of app.functions.values()) {
      const caller = { roleArn: fn.roleArn, sessionName: fn.name, policies: fn.policies };
      const proxy = await startAwsProxy(caller, h.iam, {
        dynamodb: dynamoEndpoint,
        s3: s3.endpoint,
        local,
        bucketKeys: { [app.data.bucket]: { arn: app.data.keyArn, policy: app.data.keyPolicy } },
        topicKey: { arn: app.data.keyArn, policy: app.data.keyPolicy },
      });
      h.proxies.set(fn.name, proxy.url);
      h.closers.push(() => new Promise<void>((ok) => proxy.server.close(() => ok())));
      proxy.server.unref();
    }
    return h;
  }

  /** The function of an API route's handler (`intent-complete`), a workflow task (`Task...`) or a watcher, by logical id prefix. */
  fn(id: string): FunctionSpec {
    const name = /^(Task|ProposalSweep|ProtocolRolloutTick|DrainGauges|InitialiseDeployment)/.test(id)
      ? id
      : `Api${id.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase())}`;
    const fn = this.app.functions.get(name);
    if (!fn) throw new Error(`no function ${name} in the template`);
    return fn;
  }

  /** A role of the stacks by its logical id's start (`ProducerRole`, `ApiIntentRole`): its ARN and identity policies. */
  role(id: string): { roleArn: string; policies: FunctionSpec['policies'] } {
    const found = [...this.app.rolePolicies.entries()].filter(([arn]) =>
      arn.includes(`-${id.toLowerCase()}`),
    );
    if (found.length !== 1)
      throw new Error(`${found.length} roles match ${id}: ${found.map(([arn]) => arn).join(', ')}`);
    const [roleArn, policies] = found[0] as [string, FunctionSpec['policies']];
    return { roleArn, policies };
  }

  /** Calls the API as API Gateway would (REST proxy event; 502 on a function error, 504 after 29 s). */
  async api(
    /** The role the caller assumed; `admin:<session>` is a person's own session of the admin role. */
    who: 'admin' | 'intent' | 'public' | `admin:${string}`,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<ApiReply> {
    const url = new URL(path, 'http://api.local');
    const match = ROUTES.map((r) => ({
      r,
      m: new RegExp(`^${r.resource.replace(/\{\w+\}/g, '([^/]+)')}$`).exec(url.pathname),
    })).find((x) => x.m && x.r.method === method);
    if (!match?.m) return { status: 403, body: { message: 'Missing Authentication Token' }, headers: {} };
    const names = [...match.r.resource.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
    const query = Object.fromEntries(url.searchParams);
    const event = {
      resource: match.r.resource,
      path: url.pathname,
      httpMethod: method,
      headers: { 'content-type': 'application/json' },
      multiValueHeaders: {},
      queryStringParameters: Object.keys(query).length ? query : null,
      multiValueQueryStringParameters: null,
      pathParameters: names.length
        ? Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(match.m?.[i + 1] ?? '')]))
        : null,
      stageVariables: null,
      body: body === undefined ? null : JSON.stringify(body),
      isBase64Encoded: false,
      requestContext: {
        requestId: crypto.randomUUID(),
        resourcePath: match.r.resource,
        httpMethod: method,
        path: `/v1${url.pathname}`,
        stage: 'v1',
        accountId: ACCOUNT,
        identity: {
          sourceIp: '203.0.113.7',
          userArn: who === 'public' ? null : userArn(who),
        },
      },
    };
    const fn = this.fn(match.r.handler);
    const out = await Promise.race([
      this.lambdas.invoke(fn, event),
      new Promise<'timeout'>((ok) => setTimeout(() => ok('timeout'), 29_000).unref()),
    ]);
    if (out === 'timeout')
      return { status: 504, body: { message: 'Endpoint request timed out' }, headers: {} };
    if (!out.ok)
      return { status: 502, body: { message: 'Internal server error', error: out.error }, headers: {} };
    return httpReply(out.result);
  }

  /** Test set-up outside the system under test: removes every stored intent (what a failed scenario left). */
  async clearIntents(): Promise<number> {
    const db = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: this.dynamoEndpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }),
    );
    const table = this.app.data.tables.Intents ?? '';
    const items = (await db.send(new ScanCommand({ TableName: table }))).Items ?? [];
    for (const i of items)
      await db.send(new DeleteCommand({ TableName: table, Key: { shard: i.shard, id: i.id } }));
    db.destroy();
    return items.length;
  }

  /** Invokes a function directly (a Task's event), as Lambda answers. */
  invoke(fn: FunctionSpec, event: unknown): Promise<Invocation> {
    return this.lambdas.invoke(fn, event);
  }

  async stop(): Promise<void> {
    this.workflow.stopAll();
    this.scheduler.stop();
    await this.lambdas.stop();
    for (const close of this.closers) await close();
  }

  /** lambda:InvokeFunction by a role (the state machine's), then the result or the error Step Functions sees. */
  private async invokeAs(
    roleArn: string,
    policies: FunctionSpec['policies'],
    fnArn: string,
    payload: unknown,
  ) {
    const principal = `${roleArn.replace(':iam::', ':sts::').replace(':role/', ':assumed-role/')}/states`;
    const denied = await this.iam.check(principal, policies, {
      action: 'lambda:InvokeFunction',
      resource: fnArn,
    });
    if (denied)
      throw Object.assign(new Error(`not authorized to invoke ${fnArn}`), {
        name: 'Lambda.AWSLambdaException',
      });
    const fn = [...this.app.functions.values()].find((f) => f.arn === fnArn);
    if (!fn)
      throw Object.assign(new Error(`no function ${fnArn}`), { name: 'Lambda.ResourceNotFoundException' });
    const out = await this.lambdas.invoke(fn, payload);
    if (out.ok) return out.result;
    throw Object.assign(new Error(JSON.stringify(out.error)), { name: out.error.errorType });
  }
}
