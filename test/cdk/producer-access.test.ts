import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { IamEvaluator } from '../aws/iam.ts';
import { ACCOUNT, REGION } from '../aws/template.ts';
import { type Resources, synthesizeForTemplateTests } from './synth-app.ts';

/** The producer policy and role (cdk/producer-access.ts): what a producer running the fence itself may do. */
let data: Template;
let service: Template;

beforeAll(() => {
  const app = synthesizeForTemplateTests();
  expect(app.synthError, String((app.synthError as Error | null)?.message ?? '')).toBeNull();
  ({ service, data } = app);
}, 120_000);

type Statement = { Action: string | string[]; Resource: unknown; Effect: string; Condition?: unknown };
const actions = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
/**
 * A statement's resource, the same whichever stack names it: the data stack's own `Fn::GetAtt [Control..., Arn]`
 * and a service stack's import of that export both read `<Control>`.
 */
const resourceOf = (s: Statement) =>
  JSON.stringify(s.Resource)
    .replace(/\{"Fn::ImportValue":"[^"]*FnGetAtt([A-Za-z]+?)[0-9A-F]{8}Arn[0-9A-F]{8}"\}/g, '<$1>')
    .replace(/\{"Fn::GetAtt":\["([A-Za-z]+?)[0-9A-F]{8}","Arn"\]\}/g, '<$1>');
/** Each (action, resource, condition) a list of statements allows, as sorted lines. */
const grants = (statements: Statement[]) =>
  [
    ...new Set(
      statements.flatMap((s) =>
        actions(s).map((a) => `${a} ${resourceOf(s)} ${JSON.stringify(s.Condition ?? null)}`),
      ),
    ),
  ].sort();
const onTable = (name: 'Control' | 'Intents' | 'DataKey') => (s: Statement) =>
  resourceOf(s).includes(`<${name}>`);

const producerPolicy = () => {
  const policies = Object.entries(data.findResources('AWS::IAM::ManagedPolicy') as Resources);
  expect(policies.map(([id]) => id)).toEqual([expect.stringMatching(/^ProducerPolicy[0-9A-F]{8}$/)]);
  return (policies[0] as [string, Resources[string]])[1].Properties;
};
const statementsOfPolicy = () => (producerPolicy().PolicyDocument as { Statement: Statement[] }).Statement;
const lambdaStatements = (idPrefix: string) =>
  Object.entries(service.findResources('AWS::IAM::Policy') as Resources)
    .filter(([id]) => id.startsWith(idPrefix))
    .flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);

describe('the producer policy', () => {
  it('grants exactly the DynamoDB and KMS calls of register, update and complete', () => {
    const s = statementsOfPolicy();
    expect(s.every((x) => x.Effect === 'Allow' && x.Resource !== '*')).toBe(true);
    expect(s.filter(onTable('Intents')).flatMap(actions).sort()).toEqual([
      'dynamodb:DeleteItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
    ]);
    const control = s
      .filter(onTable('Control'))
      .map((x) => ({ actions: actions(x).sort(), on: x.Condition }));
    const keys = (...k: string[]) => ({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': k } });
    expect(control).toEqual([
      { actions: ['dynamodb:GetItem'], on: keys('MODE', 'SHARD#*') },
      { actions: ['dynamodb:UpdateItem'], on: keys('SHARD#*') },
      { actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'], on: keys('OUTCOMES*') },
    ]);
    expect(s.filter(onTable('DataKey')).flatMap(actions).sort()).toEqual([
      'kms:Decrypt',
      'kms:Encrypt',
      'kms:GenerateDataKey',
    ]);
    expect(s).toHaveLength(5);
  });

  it("is the intent routes' own access, listed once: the union of the three functions' DynamoDB and KMS grants", () => {
    const routes = ['ApiIntentRegister', 'ApiIntentUpdate', 'ApiIntentComplete'].flatMap(lambdaStatements);
    const data = (s: Statement) => actions(s).every((a) => a.startsWith('dynamodb:') || a.startsWith('kms:'));
    expect(grants(statementsOfPolicy())).toEqual(grants(routes.filter(data)));
  });

  it('lets the leading key decide on the control table, as IAM evaluates it', async () => {
    const table = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/control`;
    const resolved = statementsOfPolicy()
      .filter(onTable('Control'))
      .map((s) => ({ ...s, Resource: table }));
    const policy = { Version: '2012-10-17', Statement: resolved };
    const iam = new IamEvaluator();
    const call = async (action: string, pk: string) =>
      (await iam.check(`arn:aws:sts::${ACCOUNT}:assumed-role/producer/x`, [{ name: 'p', policy }], {
        action,
        resource: table,
        context: { 'dynamodb:LeadingKeys': [pk] },
      })) === null;
    // What the client does: the mode record and its shard count, a gate, its repair, a bake's counting.
    for (const [action, pk] of [
      ['dynamodb:GetItem', 'MODE'],
      ['dynamodb:GetItem', 'SHARD#07'],
      ['dynamodb:UpdateItem', 'SHARD#07'],
      ['dynamodb:GetItem', 'OUTCOMES'],
      ['dynamodb:UpdateItem', 'OUTCOMES#up-1#3'],
    ] as const)
      expect(await call(action, pk), `${action} ${pk}`).toBe(true);
    // Nothing else: not the mode record's write, not the audit trail, upgrades or the upgrade lock.
    for (const [action, pk] of [
      ['dynamodb:UpdateItem', 'MODE'],
      ['dynamodb:PutItem', 'MODE'],
      ['dynamodb:DeleteItem', 'SHARD#07'],
      ['dynamodb:GetItem', 'AUDIT#2026-01-01'],
      ['dynamodb:GetItem', 'UPGRADE_LOCK'],
      ['dynamodb:Query', 'SHARD#07'],
      ['dynamodb:Scan', 'MODE'],
    ] as const)
      expect(await call(action, pk), `${action} ${pk}`).toBe(false);
  });

  it('is attached to the ProducerRole, which the account may assume', () => {
    const roles = Object.entries(data.findResources('AWS::IAM::Role') as Resources).filter(([id]) =>
      id.startsWith('ProducerRole'),
    );
    expect(roles).toHaveLength(1);
    const [roleId, role] = roles[0] as [string, Resources[string]];
    expect(producerPolicy().Roles).toEqual([{ Ref: roleId }]);
    const trust = (role.Properties.AssumeRolePolicyDocument as { Statement: Statement[] }).Statement;
    expect(trust).toHaveLength(1);
    expect(JSON.stringify(trust[0])).toContain(':root');
    expect(role.Properties.ManagedPolicyArns).toBeUndefined(); // no AWS managed policy besides it
    expect(role.Properties.Policies).toBeUndefined();
  });

  it('registration itself (the route) reads the mode record and gates and writes only gates on the control table', () => {
    const control = lambdaStatements('ApiIntentRegister').filter(onTable('Control'));
    const keys = (...k: string[]) => ({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': k } });
    expect(control.map((s) => [actions(s), s.Condition])).toEqual([
      [['dynamodb:GetItem'], keys('MODE', 'SHARD#*')],
      [['dynamodb:UpdateItem'], keys('SHARD#*')],
    ]);
  });
});

describe('the data stack outputs', () => {
  it("name the producer policy and role and the two tables a producer's client is configured with", () => {
    const outputs = data.toJSON().Outputs as Record<string, { Value: unknown }>;
    // Besides the exports the service stacks import.
    expect(Object.keys(outputs).filter((o) => !o.startsWith('ExportsOutput'))).toEqual([
      'ProducerPolicyArn',
      'ProducerRoleArn',
      'ControlTableName',
      'IntentsTableName',
    ]);
    expect(outputs.ProducerPolicyArn?.Value).toEqual({ Ref: expect.stringMatching(/^ProducerPolicy/) });
    expect(outputs.ProducerRoleArn?.Value).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^ProducerRole/), 'Arn'],
    });
    expect(outputs.ControlTableName?.Value).toEqual({ Ref: expect.stringMatching(/^Control/) });
    expect(outputs.IntentsTableName?.Value).toEqual({ Ref: expect.stringMatching(/^Intents/) });
  });
});
