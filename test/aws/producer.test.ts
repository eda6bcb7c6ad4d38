import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { NotAdmittingError, PRODUCER_POLICY_OUTPUT, ProducerAccessDeniedError } from '../../client/index.ts';
import { makeDocumentClient } from '../../shared/adapters/dynamodb/client.ts';
import { DynamoOutcomeLedger } from '../../shared/adapters/dynamodb/outcome-ledger.ts';
import { AwsHarness } from './harness.ts';
import { producerClient } from './producer-client.ts';

/**
 * Producers running the fence themselves (client/) under the template's IAM: the client in this process, its
 * DynamoDB calls through a proxy that evaluates each one against a role's policies as read from the synthesized
 * templates (the ProducerRole with the producer ManagedPolicy, or the API's intent role without it).
 */
let h: AwsHarness;
const closers: (() => Promise<void> | void)[] = [];
beforeAll(async () => {
  h = await AwsHarness.start(inject('dynamoEndpoint'));
  const init = await h.invoke(h.fn('InitialiseDeployment'), {});
  expect(init.ok, JSON.stringify(init)).toBe(true);
}, 180_000);
afterAll(async () => {
  for (const close of closers) await close();
  await h?.stop();
});

const roleNamed = (id: string) => h.role(id);

/** A producer client whose every DynamoDB call is made as `session` of `role`, as configured from the outputs. */
async function producerAs(role: ReturnType<typeof roleNamed>, session: string) {
  const { client, close } = await producerClient(h, inject('dynamoEndpoint'), role, session);
  closers.push(close);
  return client;
}

const inflightIds = async () => {
  const out = await h.api('admin', 'GET', '/admin/inflight?limit=100');
  expect(out.status).toBe(200);
  return (out.body.intents as { id: string }[]).map((i) => i.id);
};

describe('the producer client under the ProducerRole of the template', () => {
  it('the stack outputs name the policy, the role and the two tables', () => {
    expect(h.app.outputs.ControlTableName).toBe(h.app.data.tables.Control);
    expect(h.app.outputs.IntentsTableName).toBe(h.app.data.tables.Intents);
    expect(h.app.outputs.ProducerRoleArn).toBe(roleNamed('ProducerRole').roleArn);
    expect(h.app.outputs[PRODUCER_POLICY_OUTPUT]).toMatch(
      /^arn:aws:iam::123456789012:policy\/.*producerpolicy/,
    );
  });

  it('registers, updates and completes, is refused during a drain, and counts for a bake: zero denials', async () => {
    const client = await producerAs(roleNamed('ProducerRole'), 'producer-client');
    const registered = await client.register({ id: 'p-1', phase: 'Pending', owner: 'relayer-1' });
    expect(registered).toMatchObject({ id: 'p-1', phase: 'Pending', protocol_version: '1.0.0' });
    expect(await inflightIds()).toEqual(['p-1']); // the control plane counts it
    const updated = await client.update('p-1', { phase: 'Locked', solver_funds_locked: true });
    expect(updated).toMatchObject({ phase: 'Locked', solver_funds_locked: true });
    expect(await client.complete('p-1')).toMatchObject({
      completed: true,
      outcome: 'settled',
      counted_for: null,
    });
    expect(await inflightIds()).toEqual([]);

    const drain = await h.api('admin', 'POST', '/admin/drain/start', { reason: 'producer harness drain' });
    expect(drain.status, JSON.stringify(drain.body)).toBe(200);
    const refused = await client.register({ id: 'p-2' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(NotAdmittingError);
    expect((refused as NotAdmittingError).retryAfterSecs).toBeGreaterThan(0);
    expect(await inflightIds()).toEqual([]); // the refused registration removed its own item
    const status = await h.api('admin', 'GET', '/admin/drain/status');
    expect(status.body).toMatchObject({ mode: 'Drained', inflight_count: 0 });
    expect((await h.api('admin', 'POST', '/admin/drain/resume', {})).status).toBe(200);

    // A bake counting outcomes: its record written as the upgrade's bake step would (set-up, not under test).
    const db = makeDocumentClient({ endpoint: inject('dynamoEndpoint') });
    const ledger = new DynamoOutcomeLedger(db, h.app.data.tables.Control ?? '');
    await ledger.begin({ upgradeId: 'up-bake', since: Date.now(), until: Date.now() + 60_000 });
    const baking = await producerAs(roleNamed('ProducerRole'), 'producer-client');
    await baking.register({ id: 'p-3' }, { fresh: true });
    expect(await baking.complete('p-3', 'failed')).toMatchObject({ completed: true, counted_for: 'up-bake' });
    expect(await ledger.totals('up-bake')).toEqual({ settled: 0, failed: 1, refunded: 0 });
    await ledger.end('up-bake');
    db.destroy();

    expect(h.iam.deniedFor('producer-client')).toEqual([]);
  });

  it('a role without the producer policy (the API intent role) is refused, told which policy it lacks, and writes nothing', async () => {
    const client = await producerAs(roleNamed('ApiIntentRole'), 'intent-role-only');
    const refused = await client.register({ id: 'denied-1' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ProducerAccessDeniedError);
    const err = refused as ProducerAccessDeniedError;
    expect(err.code).toBe('producer_access_denied');
    expect(err.message).toMatch(
      /^register: AWS refused dynamodb:GetItem on arn:aws:dynamodb:.*: the producer's IAM role lacks the producer policy/,
    );
    expect(err.message).toContain(`output ${PRODUCER_POLICY_OUTPUT}`);
    for (const call of [
      () => client.update('denied-1', { phase: 'Locked' }),
      () => client.complete('denied-1'),
    ])
      await expect(call()).rejects.toBeInstanceOf(ProducerAccessDeniedError);
    expect(await inflightIds()).toEqual([]);
    const denied = h.iam.deniedFor('intent-role-only');
    expect(denied.length).toBeGreaterThan(0);
    expect(denied.every((d) => d.startsWith('dynamodb:'))).toBe(true);
    h.iam.denials.length = 0;
  });
});
