import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { URL_FORBIDDEN, viaFunctionUrl } from './function-url.ts';
import { AwsHarness } from './harness.ts';

/**
 * The intent routes through their Lambda function URLs under AWS's rules: the template's URLs (AWS_IAM), Lambda's
 * authorization of the caller's role against its template policies, then the bundle with a payload 2.0 event.
 */
let aws: AwsHarness;
beforeAll(async () => {
  aws = await AwsHarness.start(inject('dynamoEndpoint'));
  // What the deploy's trigger does before the API takes requests: the mode record and the fence gates.
  const init = await aws.invoke(aws.fn('InitialiseDeployment'), {});
  expect(init.ok, JSON.stringify(init)).toBe(true);
}, 300_000);
afterAll(async () => {
  await aws?.stop();
});

const producer = { role: 'IntentRole' } as const;
const operator = { role: 'AdminRole', session: 'alice' } as const;
const admin = (method: string, path: string, body?: unknown) => aws.api('admin', method, path, body);
const inflight = async () => (await admin('GET', '/admin/drain/status')).body.inflight_count;

describe('the intent function URLs under AWS rules', () => {
  it('the intent role registers, updates and completes through the URLs, with no denial', async () => {
    const made = await viaFunctionUrl(aws, producer, 'intent-register', 'POST', '/intents', { id: 'url-a' });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.headers.location).toBe('/intents/url-a');
    expect(await inflight()).toBe(1);
    const patched = await viaFunctionUrl(aws, producer, 'intent-update', 'PATCH', '/intents/url-a', {
      phase: 'Locked',
      user_funds_locked: true,
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body).toMatchObject({ phase: 'Locked', user_funds_locked: true });
    const done = await viaFunctionUrl(aws, producer, 'intent-complete', 'POST', '/intents/url-a/complete', {
      outcome: 'settled',
    });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body).toMatchObject({ id: 'url-a', completed: true, outcome: 'settled' });
    expect(await inflight()).toBe(0);
    expect(aws.iam.deniedFor('apiintentrole')).toEqual([]);
    expect(aws.iam.denials).toEqual([]);
  });

  it('a path or method the URL does not take is the function’s own 404/405 naming its route', async () => {
    const elsewhere = await viaFunctionUrl(
      aws,
      producer,
      'intent-register',
      'POST',
      '/intents/x/complete',
      {},
    );
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.body).toMatchObject({ error: 'not_found' });
    expect(String(elsewhere.body.message)).toContain('this URL takes POST /intents');
    const wrong = await viaFunctionUrl(aws, producer, 'intent-update', 'POST', '/intents/x', {
      phase: 'Locked',
    });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toBe('PATCH');
  });

  it('the admin role has no grant on the URLs: 403 from Lambda, the function never runs', async () => {
    const before = aws.iam.denials.length;
    const refused = await viaFunctionUrl(aws, operator, 'intent-register', 'POST', '/intents', {
      id: 'url-b',
    });
    expect(refused).toEqual({ status: 403, body: URL_FORBIDDEN, headers: {} });
    for (const [handler, method, path] of [
      ['intent-update', 'PATCH', '/intents/url-b'],
      ['intent-complete', 'POST', '/intents/url-b/complete'],
    ] as const)
      expect((await viaFunctionUrl(aws, operator, handler, method, path, {})).status).toBe(403);
    expect(await inflight()).toBe(0);
    const denied = aws.iam.denials.slice(before).map((d) => `${d.action} ${d.principal.split('/').at(-1)}`);
    expect(denied).toContain('lambda:InvokeFunctionUrl alice');
    expect(denied).toContain('lambda:InvokeFunction alice');
  });

  it('during a drain a registration through the URL is 503 with Retry-After, and leaves nothing', async () => {
    const keeper = await viaFunctionUrl(aws, producer, 'intent-register', 'POST', '/intents', {
      id: 'url-keep',
    });
    expect(keeper.status).toBe(201);
    const drain = await admin('POST', '/admin/drain/start', { reason: 'url drain', drain_timeout_secs: 60 });
    expect(drain.status, JSON.stringify(drain.body)).toBe(200);
    const refused = await viaFunctionUrl(aws, producer, 'intent-register', 'POST', '/intents', {
      id: 'url-late',
    });
    expect(refused.status, JSON.stringify(refused.body)).toBe(503);
    expect(refused.body).toMatchObject({ error: 'not_admitting' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // Completion stays open during the drain, and the drain ends with nothing of the refused registration left.
    const done = await viaFunctionUrl(aws, producer, 'intent-complete', 'POST', '/intents/url-keep/complete');
    expect(done.status).toBe(200);
    expect((await admin('GET', '/admin/drain/status')).body).toMatchObject({
      mode: 'Drained',
      inflight_count: 0,
    });
    expect((await admin('GET', '/admin/inflight')).body).toMatchObject({ intents: [] });
    expect((await admin('POST', '/admin/drain/cancel')).status).toBe(200);
    expect(aws.iam.deniedFor('apiintentrole')).toEqual([]);
  });
});
