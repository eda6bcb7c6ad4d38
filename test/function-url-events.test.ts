import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { environmentOf } from '../lambdas/compose/environment.ts';
import type { PayloadV2Event } from '../lambdas/http/payload-v2.ts';
import { startApiGateway } from '../local/api-gateway.ts';
import { toFunctionUrlEvent } from '../local/function-url-event.ts';
import { lambdaContext } from '../local/proxy-event.ts';
import type { Config } from '../shared/config.ts';
import { startTestApi, type TestApi } from './support/api.ts';

/**
 * The intent routes reached as their Lambda function URLs reach them: payload 2.0 events (the local listener that
 * plays the three URLs), into the same handlers as the REST API's.
 */
let api: TestApi;
let urls: Server;
let url: string;
beforeAll(async () => {
  api = await startTestApi();
  urls = await startApiGateway(api.env, '127.0.0.1', 0, { payload: '2.0' });
  url = `http://127.0.0.1:${(urls.address() as { port: number }).port}`;
});
afterAll(async () => {
  urls?.close();
  urls?.closeAllConnections();
  await api?.stop();
});

const call = async (method: string, path: string, body?: unknown, token = api.intentToken) => {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
};

/** A handler called directly with a 2.0 event, as Lambda calls it behind its URL. */
async function invoke(handler: string, event: PayloadV2Event, env = api.env) {
  const mod = (await import(`../lambdas/${handler}.ts`)) as {
    handler: {
      withEnvironment(
        e: typeof env,
      ): (
        e: unknown,
        c: unknown,
      ) => Promise<{ statusCode: number; body: string; headers: Record<string, string> }>;
    };
  };
  const out = await mod.handler.withEnvironment(env)(event, lambdaContext(handler, 'req-1'));
  return {
    status: out.statusCode,
    headers: out.headers,
    body: JSON.parse(out.body) as Record<string, unknown>,
  };
}

const eventOf = (method: string, path: string, body = '', headers: Record<string, string> = {}) =>
  toFunctionUrlEvent(
    { method, headers: { 'content-type': 'application/json', ...headers }, sourceIp: '203.0.113.7' },
    new URL(path, 'http://url.local'),
    body,
    'local',
  );

describe('the intent routes through their function URLs (payload 2.0)', () => {
  it('register, update and complete answer as through the REST API, with the same bodies', async () => {
    const made = await call('POST', '/intents', { id: 'url-1' });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.headers.get('location')).toBe('/intents/url-1');
    expect(made.headers.get('x-correlation-id')).toBeTruthy();
    const patched = await call('PATCH', '/intents/url-1', { phase: 'Locked', user_funds_locked: true });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body).toMatchObject({ id: 'url-1', phase: 'Locked', user_funds_locked: true });
    const done = await call('POST', '/intents/url-1/complete', { outcome: 'settled' });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body).toMatchObject({ id: 'url-1', completed: true, outcome: 'settled' });
  });

  it('the bearer token is checked as on the REST API: none is 401, the admin token 403', async () => {
    const none = await fetch(`${url}/intents`, { method: 'POST', body: '{"id":"x"}' });
    expect(none.status).toBe(401);
    expect((await call('POST', '/intents', { id: 'x' }, api.adminToken)).status).toBe(403);
  });

  it('a method the URL does not take is 405 naming the one it takes; another path is 404', async () => {
    const wrong = await call('PUT', '/intents/url-1/complete', {});
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
    expect(wrong.body).toMatchObject({ error: 'method_not_allowed' });
    expect(String(wrong.body.message)).toContain('this URL takes POST /intents/{id}/complete');
    const elsewhere = await invoke('intent-complete', eventOf('POST', '/intents'));
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.body).toMatchObject({ error: 'not_found' });
    expect(String(elsewhere.body.message)).toContain(
      'no route POST /intents: this URL takes POST /intents/{id}/complete',
    );
    expect((await call('GET', '/admin/drain/status')).status).toBe(404);
  });

  it('bad input is a 4xx JSON error: a repeated query parameter, a bad escape, a bad body', async () => {
    const twice = await call('POST', '/intents?a=1&a=2', { id: 'q' });
    expect(twice.status).toBe(400);
    expect(String(twice.body.message)).toContain('query parameter a is given more than once');
    const badEscape = await invoke(
      'intent-update',
      eventOf('PATCH', '/intents/%E0%A4%A', '{"phase":"Locked"}', {
        authorization: `Bearer ${api.intentToken}`,
      }),
    );
    expect(badEscape.status).toBe(400);
    expect(badEscape.body).toMatchObject({ error: 'invalid_request' });
    const body = await call('POST', '/intents', { id: 7 });
    expect(body.status).toBe(400);
    expect(body.body.error).toBe('invalid_request');
  });

  it('an HTTP API’s 2.0 event (its route matched, a stage in the path) is read by its routeKey and pathParameters', async () => {
    const event = eventOf('POST', '/v1/intents/http-api/complete', '', {
      authorization: `Bearer ${api.intentToken}`,
    });
    Object.assign(event, { routeKey: 'POST /intents/{id}/complete', pathParameters: { id: 'http-api' } });
    const out = await invoke('intent-complete', event);
    expect(out.status, JSON.stringify(out.body)).toBe(200);
    expect(out.body).toMatchObject({ id: 'http-api', completed: false });
  });

  it('under AWS_IAM the caller is the ARN Lambda puts in requestContext.authorizer.iam', async () => {
    const { config } = api.env;
    const iam = environmentOf({ ...config, auth: { ...config.auth, mode: 'iam' } } as Config);
    const event = eventOf('POST', '/intents/nobody/complete');
    expect((await invoke('intent-complete', event, iam)).status).toBe(403);
    event.requestContext.authorizer = {
      iam: {
        accessKey: 'ASIA0000',
        accountId: '123456789012',
        callerId: 'AROA0000:producer',
        cognitoIdentity: null,
        principalOrgId: '',
        userArn: 'arn:aws:sts::123456789012:assumed-role/intent-role/producer',
        userId: 'AROA0000:producer',
      },
    };
    const answered = await invoke('intent-complete', event, iam);
    expect(answered.status, JSON.stringify(answered.body)).toBe(200);
    expect(answered.body).toMatchObject({ id: 'nobody', completed: false });
  });
});
