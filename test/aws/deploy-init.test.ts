import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AwsHarness } from './harness.ts';

/**
 * A fresh deployment: tables empty, as CloudFormation leaves them. The deploy's Trigger (cdk/api-stack.ts) runs the
 * initialiser under its template IAM; after it, the first intent registration is admitted with no admin call.
 */
let aws: AwsHarness;
beforeAll(async () => {
  aws = await AwsHarness.start(inject('dynamoEndpoint'));
}, 180_000);
afterAll(async () => {
  await aws?.stop();
});

const denials = () => [
  ...new Set(aws.iam.denials.map((d) => `${d.principal.split('/').at(-1)}: ${d.action} on ${d.resource}`)),
];

describe("the deploy's initialiser", () => {
  it('before it runs, intents answer 503 not_initialised; after it, the first registration is admitted (201)', async () => {
    const before = await aws.api('intent', 'POST', '/intents', { id: 'fresh-0' });
    expect(before.status).toBe(503);
    expect(before.body.error).toBe('not_initialised');

    const init = aws.fn('InitialiseDeployment');
    const ran = await aws.invoke(init, {});
    expect(ran.ok, JSON.stringify(ran)).toBe(true);
    expect(ran.ok && ran.result).toMatchObject({ initialised: true, mode: 'Active' });

    const first = await aws.api('intent', 'POST', '/intents', { id: 'fresh-1' });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    // Run again (a later deploy that changed the handler): it only reads what exists.
    expect((await aws.invoke(init, {})).ok).toBe(true);
    expect((await aws.api('intent', 'POST', '/intents/fresh-1/complete')).status).toBe(200);
    expect(denials()).toEqual([]);
  });

  it('the initialiser may write the control table only; only the trigger provider may invoke it', async () => {
    const init = aws.fn('InitialiseDeployment');
    const session = `${init.roleArn.replace(':iam::', ':sts::').replace(':role/', ':assumed-role/')}/init`;
    const intents = `arn:aws:dynamodb:us-east-1:123456789012:table/${aws.app.data.tables.Intents}`;
    const control = `arn:aws:dynamodb:us-east-1:123456789012:table/${aws.app.data.tables.Control}`;
    const may = async (action: string, resource: string) =>
      (await aws.iam.check(session, init.policies, { action, resource })) === null;
    for (const action of ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'])
      expect(await may(action, control), action).toBe(true);
    for (const action of ['dynamodb:DeleteItem', 'dynamodb:Scan', 'dynamodb:BatchWriteItem'])
      expect(await may(action, control), action).toBe(false);
    expect(await may('dynamodb:PutItem', intents)).toBe(false);
    const providers = [...aws.app.rolePolicies.entries()].filter(([arn]) => /awscdktrigger/i.test(arn));
    expect(providers).toHaveLength(1);
    const [providerArn, policies] = providers[0] as [string, typeof init.policies];
    const provider = `${providerArn.replace(':iam::', ':sts::').replace(':role/', ':assumed-role/')}/trigger`;
    const invoke = (resource: string) =>
      aws.iam.check(provider, policies, { action: 'lambda:InvokeFunction', resource });
    expect(await invoke(`${init.arn}:1`)).toBeNull();
    expect(await invoke(aws.fn('intent-register').arn)).not.toBeNull();
    aws.iam.denials.length = 0;
  });
});
