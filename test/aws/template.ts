import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The account and Region the harness plays: every ARN of the templates resolves with these. */
export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';

type Json = unknown;
interface Resource {
  Type: string;
  Properties?: Record<string, Json>;
  Metadata?: Record<string, string>;
}
interface Template {
  Resources: Record<string, Resource>;
  Outputs?: Record<string, { Value: Json; Export?: { Name: string } }>;
}

/** One Lambda function as the template declares it: what the harness runs and under which policy. */
export interface FunctionSpec {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  /** The bundle folder in the cloud assembly and the `file.export` handler. */
  readonly bundleDir: string;
  readonly handler: string;
  readonly environment: Record<string, string>;
  readonly memoryMb: number;
  readonly timeoutSecs: number;
  readonly roleArn: string;
  /** The identity policies attached to its role (resolved). */
  readonly policies: { name: string; policy: Json }[];
}

/** What the harness reads from a synthesized app (`cdk.out`). */
export interface SynthesizedApp {
  readonly functions: Map<string, FunctionSpec>;
  readonly stateMachine: {
    arn: string;
    name: string;
    definition: string;
    roleArn: string;
    policies: FunctionSpec['policies'];
  };
  /** Identity policies of every role, by role ARN (the scheduler role, the state machine's role, ...). */
  readonly rolePolicies: Map<string, FunctionSpec['policies']>;
  /** Every stack's outputs, resolved, by output name (ProducerRoleArn, ControlTableName, ...). */
  readonly outputs: Record<string, string>;
  /** Physical names the harness chose for the Data stack's resources, by logical-id prefix (Control, Intents, ...). */
  readonly data: {
    tables: Record<string, string>;
    bucket: string;
    keyArn: string;
    /** The key's own policy (KMS needs it to allow, besides the caller's identity policy). */
    keyPolicy: unknown;
    secretArn: string;
  };
}

const arn = (service: string, rest: string, region = REGION) =>
  `arn:aws:${service}:${region}:${ACCOUNT}:${rest}`;

/** Ref and Fn::GetAtt values of a resource, by type: physical names of the harness's choosing. */
function physical(stack: string, id: string, r: Resource): { ref: string; attrs: Record<string, string> } {
  const base = `${stack.toLowerCase()}-${id.replace(/[0-9A-F]{8}$/, '').toLowerCase()}`;
  const p = r.Properties ?? {};
  switch (r.Type) {
    case 'AWS::DynamoDB::Table':
      return { ref: base, attrs: { Arn: arn('dynamodb', `table/${base}`) } };
    case 'AWS::S3::Bucket':
      return { ref: base, attrs: { Arn: `arn:aws:s3:::${base}` } };
    case 'AWS::KMS::Key':
      return { ref: base, attrs: { Arn: arn('kms', `key/${base}`) } };
    case 'AWS::SecretsManager::Secret':
      return { ref: arn('secretsmanager', `secret:${base}-AbCdEf`), attrs: {} };
    case 'AWS::SNS::Topic':
      return { ref: arn('sns', base), attrs: {} };
    case 'AWS::Lambda::Function':
      return { ref: base, attrs: { Arn: arn('lambda', `function:${base}`) } };
    case 'AWS::IAM::Role':
      return { ref: base, attrs: { Arn: `arn:aws:iam::${ACCOUNT}:role/${base}` } };
    case 'AWS::IAM::ManagedPolicy':
      return { ref: `arn:aws:iam::${ACCOUNT}:policy/${base}`, attrs: {} };
    case 'AWS::StepFunctions::StateMachine': {
      const name = String(p.StateMachineName ?? base);
      return { ref: arn('states', `stateMachine:${name}`), attrs: { Name: name } };
    }
    case 'AWS::Scheduler::ScheduleGroup':
      return { ref: String(p.Name), attrs: { Arn: arn('scheduler', `schedule-group/${String(p.Name)}`) } };
    case 'AWS::Logs::LogGroup': {
      const name = typeof p.LogGroupName === 'string' ? p.LogGroupName : `/aws/${base}`;
      return { ref: name, attrs: { Arn: arn('logs', `log-group:${name}:*`) } };
    }
    default:
      return { ref: base, attrs: { Arn: arn('unknown', base) } };
  }
}

/** Resolves CloudFormation intrinsics (Ref, GetAtt, Join, Sub, Select, Split, ImportValue) to strings. */
class Resolver {
  private readonly exports = new Map<string, Json>();
  constructor(
    private readonly stacks: Record<string, Template>,
    private readonly names: Record<string, string>,
  ) {
    for (const [stack, t] of Object.entries(stacks))
      for (const out of Object.values(t.Outputs ?? {}))
        if (out.Export) this.exports.set(out.Export.Name, { stack, value: out.Value });
  }

  resolve(stack: string, v: Json): Json {
    if (Array.isArray(v)) return v.map((x) => this.resolve(stack, x));
    if (!v || typeof v !== 'object') return v;
    const o = v as Record<string, Json>;
    const [key] = Object.keys(o);
    const arg = key ? o[key] : undefined;
    if (key === 'Ref') return this.ref(stack, String(arg));
    if (key === 'Fn::GetAtt') {
      const [id, attr] = arg as [string, string];
      return this.att(stack, id, attr);
    }
    if (key === 'Fn::Join') {
      const [sep, parts] = arg as [string, Json[]];
      return (this.resolve(stack, parts) as string[]).join(sep);
    }
    if (key === 'Fn::Select') {
      const [i, list] = arg as [number, Json];
      return (this.resolve(stack, list) as string[])[Number(i)];
    }
    if (key === 'Fn::Split') {
      const [sep, s] = arg as [string, Json];
      return String(this.resolve(stack, s)).split(sep);
    }
    if (key === 'Fn::Sub') {
      const [text, vars] = typeof arg === 'string' ? [arg, {}] : (arg as [string, Record<string, Json>]);
      return text.replace(/\$\{([\w:.]+)\}/g, (_, name: string) => {
        if (name in vars) return String(this.resolve(stack, vars[name]));
        const [id, attr] = name.split('.');
        return String(attr ? this.att(stack, id as string, attr) : this.ref(stack, name));
      });
    }
    if (key === 'Fn::ImportValue') {
      const exp = this.exports.get(String(this.resolve(stack, arg)));
      if (!exp) throw new Error(`no export ${String(arg)}`);
      const { stack: from, value } = exp as { stack: string; value: Json };
      return this.resolve(from, value);
    }
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, this.resolve(stack, x)]));
  }

  private ref(stack: string, id: string): string {
    const pseudo: Record<string, string> = {
      'AWS::Region': REGION,
      'AWS::AccountId': ACCOUNT,
      'AWS::Partition': 'aws',
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::StackName': stack,
      'AWS::StackId': `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/${stack}/00000000-0000-4000-8000-000000000000`,
    };
    if (pseudo[id]) return pseudo[id];
    const r = this.stacks[stack]?.Resources[id];
    if (!r) throw new Error(`${stack}: no resource ${id}`);
    return this.names[`${stack}/${id}`] ?? physical(stack, id, r).ref;
  }

  private att(stack: string, id: string, attr: string): string {
    const r = this.stacks[stack]?.Resources[id];
    if (!r) throw new Error(`${stack}: no resource ${id}`);
    return physical(stack, id, r).attrs[attr] ?? `${id}.${attr}`;
  }
}

const strings = (o: Json): Record<string, string> =>
  Object.fromEntries(Object.entries((o ?? {}) as Record<string, Json>).map(([k, v]) => [k, String(v)]));

/** The stacks of one instance in a cloud assembly (manifest.json), data first: `ucp-<instance>-<concern>`. */
export function stacksOf(outdir: string, instance = 'main'): { data: string; service: string[] } {
  const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as {
    artifacts: Record<string, { type: string }>;
  };
  const all = Object.entries(manifest.artifacts)
    .filter(([name, a]) => a.type === 'aws:cloudformation:stack' && name.startsWith(`ucp-${instance}-`))
    .map(([name]) => name);
  const data = `ucp-${instance}-data`;
  if (!all.includes(data)) throw new Error(`no stack ${data} in ${outdir}`);
  return { data, service: all.filter((n) => n !== data) };
}

/** The CDK's own functions (the trigger provider): not project code; the harness plays what they do. */
const CDK_OWN = /^AWSCDK/;

/** Reads the instance's stacks in `outdir`, resolving names, ARNs, environments and policies for the harness's account. */
export function readApp(outdir: string, stackNames = stacksOf(outdir)): SynthesizedApp {
  const load = (name: string) =>
    JSON.parse(readFileSync(join(outdir, `${name}.template.json`), 'utf8')) as Template;
  const stacks = Object.fromEntries(
    [stackNames.data, ...stackNames.service].map((name) => [name, load(name)]),
  ) as Record<string, Template>;
  const resolver = new Resolver(stacks, {});
  // Every resource of the stacks (the data stack has the producer role), each with the stack it resolves in.
  const entries = [stackNames.data, ...stackNames.service].flatMap((stack) =>
    Object.entries(stacks[stack]?.Resources ?? {}).map(([id, r]) => ({ stack, id, r })),
  );
  const rolePolicies = new Map<string, FunctionSpec['policies']>();
  for (const { stack, id, r } of entries) {
    if (r.Type === 'AWS::IAM::Role') {
      const roleArn = String(resolver.resolve(stack, { 'Fn::GetAtt': [id, 'Arn'] }));
      const inline = ((r.Properties?.Policies ?? []) as { PolicyName: string; PolicyDocument: Json }[]).map(
        (p) => ({
          name: p.PolicyName,
          policy: resolver.resolve(stack, p.PolicyDocument),
        }),
      );
      rolePolicies.set(roleArn, [...(rolePolicies.get(roleArn) ?? []), ...inline]);
    }
  }
  // Inline policies (AWS::IAM::Policy) and managed ones (AWS::IAM::ManagedPolicy) name the roles they attach to.
  for (const { stack, id, r } of entries) {
    if (r.Type !== 'AWS::IAM::Policy' && r.Type !== 'AWS::IAM::ManagedPolicy') continue;
    for (const role of (r.Properties?.Roles ?? []) as { Ref: string }[]) {
      const roleArn = String(resolver.resolve(stack, { 'Fn::GetAtt': [role.Ref, 'Arn'] }));
      rolePolicies.set(roleArn, [
        ...(rolePolicies.get(roleArn) ?? []),
        { name: id, policy: resolver.resolve(stack, r.Properties?.PolicyDocument) },
      ]);
    }
  }
  const functions = new Map<string, FunctionSpec>();
  for (const { stack, id, r } of entries) {
    if (r.Type !== 'AWS::Lambda::Function' || CDK_OWN.test(id)) continue;
    const resolve = (v: Json) => resolver.resolve(stack, v);
    const p = r.Properties ?? {};
    const roleArn = String(resolve(p.Role));
    const key = id.replace(/[0-9A-F]{8}$/, '');
    if (functions.has(key)) throw new Error(`function ${key} is in two stacks`);
    functions.set(key, {
      logicalId: id,
      name: String(resolve({ Ref: id })),
      arn: String(resolve({ 'Fn::GetAtt': [id, 'Arn'] })),
      bundleDir: join(outdir, String(r.Metadata?.['aws:asset:path'])),
      handler: String(p.Handler),
      environment: strings(resolve((p.Environment as { Variables?: Json } | undefined)?.Variables)),
      memoryMb: Number(p.MemorySize ?? 128),
      timeoutSecs: Number(p.Timeout ?? 3),
      roleArn,
      policies: rolePolicies.get(roleArn) ?? [],
    });
  }
  const machine = entries.find(({ r }) => r.Type === 'AWS::StepFunctions::StateMachine');
  if (!machine?.r.Properties) throw new Error('no state machine in the templates');
  const { id: smId, stack: smStack } = machine;
  const props = machine.r.Properties;
  const resolve = (v: Json) => resolver.resolve(smStack, v);
  const key = (props.DefinitionS3Location as { Key: string }).Key;
  const subs = strings(resolve(props.DefinitionSubstitutions));
  const definition = readFileSync(join(outdir, `asset.${key}`), 'utf8').replace(
    /\$\{(\w+)\}/g,
    (whole, name: string) => subs[name] ?? whole,
  );
  const smRole = String(resolve(props.RoleArn));
  const dataResources = stacks[stackNames.data]?.Resources ?? {};
  const dataOf = (type: string, prefix = '') =>
    Object.entries(dataResources).filter(([id, r]) => r.Type === type && id.startsWith(prefix));
  const dataRef = (id: string) => String(resolver.resolve(stackNames.data, { Ref: id }));
  const dataArn = (id: string) => String(resolver.resolve(stackNames.data, { 'Fn::GetAtt': [id, 'Arn'] }));
  return {
    functions,
    stateMachine: {
      arn: String(resolve({ Ref: smId })),
      name: String(resolve({ 'Fn::GetAtt': [smId, 'Name'] })),
      definition,
      roleArn: smRole,
      policies: rolePolicies.get(smRole) ?? [],
    },
    rolePolicies,
    outputs: Object.fromEntries(
      [stackNames.data, ...stackNames.service].flatMap((stack) =>
        Object.entries(stacks[stack]?.Outputs ?? {}).map(([name, o]) => [
          name,
          String(resolver.resolve(stack, o.Value)),
        ]),
      ),
    ),
    data: {
      tables: Object.fromEntries(
        dataOf('AWS::DynamoDB::Table').map(([id]) => [id.replace(/[0-9A-F]{8}$/, ''), dataRef(id)]),
      ),
      bucket: dataRef(dataOf('AWS::S3::Bucket', 'Checkpoints')[0]?.[0] ?? ''),
      keyArn: dataArn(dataOf('AWS::KMS::Key')[0]?.[0] ?? ''),
      keyPolicy: resolver.resolve(stackNames.data, dataOf('AWS::KMS::Key')[0]?.[1].Properties?.KeyPolicy),
      secretArn: dataRef(dataOf('AWS::SecretsManager::Secret')[0]?.[0] ?? ''),
    },
  };
}
