import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../lambdas/routes.ts';
import { makeDocumentClient } from '../shared/adapters/dynamodb/client.ts';
import { startTestApi, type TestApi } from './support/api.ts';

interface BadRequest {
  readonly label: string;
  readonly method: string;
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
  await api.intent('POST', '/intents', { id: 'existing-1', user_funds_locked: true });
  await api.intent('POST', '/intents', { id: 'existing-2', ibc_in_flight: true });
});
afterAll(async () => {
  await api.stop();
});

/** Every item of both tables, sorted: the whole stored state. */
async function storedState(): Promise<string> {
  const db = makeDocumentClient({ endpoint: api.env.config.dynamoEndpoint });
  const { tables } = api.env.config;
  const all: unknown[] = [];
  for (const table of [tables.control, tables.intents]) {
    const out = await db.send(new ScanCommand({ TableName: table, ConsistentRead: true }));
    all.push(...(out.Items ?? []));
  }
  return JSON.stringify(all.map((i) => JSON.stringify(i)).sort());
}

const MALFORMED_JSON = [
  '{',
  '{"reason":',
  '{"id": "a",}',
  "{'id':'a'}",
  'nul',
  '{"a":1}{',
  '[',
  '"unterminated',
  '{"id":"a"',
  'undefined',
];
const NOT_OBJECTS = ['[]', '[{"id":"a"}]', '"a string"', '42', 'true', 'null'];
const WRONG_TYPES: Record<string, unknown[]> = {
  id: [42, true, null, [], {}, '', ' lead', 'a/b', 'x'.repeat(129), 'naïve', 'semi;colon'],
  reason: [7, false, null, [], {}, '', 'r'.repeat(501)],
  drain_timeout_secs: ['60', 0, -5, 1.5, 10 ** 9, null, true, [60]],
  phase: [1, false, '', 'has space', 'p'.repeat(65), '1starts-digit', {}],
  user_funds_locked: ['true', 1, 0, null, 'yes'],
  solver_funds_locked: ['false', 1, [], {}],
  ibc_in_flight: ['no', 2, null],
  protocol_version: [2, '', 'v 2', '!', null, 'v'.repeat(65)],
  version: [2, '', 'two point oh!', null, []],
  acknowledge_locked_funds: ['true', 1, null, 'yes'],
};

const isJson = (text: string): boolean => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

/** Generates bad requests for every route: methods, paths, auth, bodies, types, fields, sizes and queries. */
function generate(): BadRequest[] {
  const out: BadRequest[] = [];
  const tokenFor = (access: string) => (access === 'admin' ? api.adminToken : api.intentToken);
  const jsonHeaders = (access: string) => ({
    authorization: `Bearer ${tokenFor(access)}`,
    'content-type': 'application/json',
  });
  for (const route of ROUTES) {
    const path = route.resource.replace('{id}', 'existing-1');
    const headers = jsonHeaders(route.access);
    for (const method of ['GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'OPTIONS']) {
      if (!ROUTES.some((r) => r.resource === route.resource && r.method === method)) {
        out.push({ label: 'wrong method', method, path, headers });
      }
    }
    out.push({ label: 'trailing junk path', method: route.method, path: `${path}/extra`, headers });
    out.push({ label: 'case-changed path', method: route.method, path: path.toUpperCase(), headers });
    if (route.access !== 'public') {
      out.push({ label: 'no token', method: route.method, path });
      out.push({
        label: 'other token',
        method: route.method,
        path,
        headers: jsonHeaders(route.access === 'admin' ? 'intent' : 'admin'),
      });
      out.push({
        label: 'bad token',
        method: route.method,
        path,
        headers: { authorization: 'Bearer wrong' },
      });
      out.push({ label: 'basic auth', method: route.method, path, headers: { authorization: 'Basic YTpi' } });
      out.push({ label: 'empty bearer', method: route.method, path, headers: { authorization: 'Bearer ' } });
    }
    const takesBody = route.method !== 'GET';
    if (!takesBody) {
      out.push({ label: 'body on GET', method: 'GET', path, headers, body: '{"x":1}' });
      out.push({ label: 'unknown query', method: 'GET', path: `${path}?bogus=1`, headers });
      continue;
    }
    if (route.access === 'public') continue;
    for (const body of MALFORMED_JSON)
      out.push({ label: `malformed ${body}`, method: route.method, path, headers, body });
    for (const body of NOT_OBJECTS)
      out.push({ label: `not an object ${body}`, method: route.method, path, headers, body });
    out.push({
      label: 'unknown field',
      method: route.method,
      path,
      headers,
      body: JSON.stringify({ surprise: 1 }),
    });
    out.push({
      label: 'oversize',
      method: route.method,
      path,
      headers,
      body: JSON.stringify({ reason: 'x'.repeat(20_000) }),
    });
    out.push({
      label: 'form encoded',
      method: route.method,
      path,
      headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'reason=x',
    });
    out.push({
      label: 'text plain',
      method: route.method,
      path,
      headers: { ...headers, 'content-type': 'text/plain' },
      body: '{"reason":"x"}',
    });
  }
  const valid: Record<string, Record<string, unknown>> = {
    '/admin/drain/start': { reason: 'ok', drain_timeout_secs: 60 },
    '/admin/drain/resume': { version: '2.0.0' },
    '/admin/drain/force': { acknowledge_locked_funds: true },
    '/intents': {
      id: 'fresh-id',
      phase: 'Pending',
      user_funds_locked: false,
      solver_funds_locked: false,
      ibc_in_flight: false,
      protocol_version: '1.0.0',
    },
    '/intents/{id}': {
      phase: 'Settling',
      user_funds_locked: true,
      solver_funds_locked: true,
      ibc_in_flight: true,
    },
  };
  for (const [resource, good] of Object.entries(valid)) {
    const route = ROUTES.find((r) => r.resource === resource && r.method !== 'GET');
    if (!route) throw new Error(`no route ${resource}`);
    const path = resource.replace('{id}', 'existing-1');
    for (const field of Object.keys(good)) {
      for (const bad of WRONG_TYPES[field] ?? []) {
        out.push({
          label: `${resource} ${field}=${JSON.stringify(bad)}`,
          method: route.method,
          path,
          headers: jsonHeaders(route.access),
          body: JSON.stringify({ ...good, [field]: bad }),
        });
      }
      out.push({
        label: `${resource} extra field beside ${field}`,
        method: route.method,
        path,
        headers: jsonHeaders(route.access),
        body: JSON.stringify({ ...good, [`${field}_x`]: true }),
      });
    }
    // Every truncation of a valid body (that is not itself valid JSON) must be refused as malformed.
    const text = JSON.stringify(good);
    for (let cut = 1; cut < text.length; cut += 2) {
      const prefix = text.slice(0, cut);
      if (isJson(prefix)) continue;
      out.push({
        label: `${resource} truncated at ${cut}`,
        method: route.method,
        path,
        headers: jsonHeaders(route.access),
        body: prefix,
      });
    }
  }
  const intentHeaders = jsonHeaders('intent');
  const adminHeaders = jsonHeaders('admin');
  out.push({
    label: 'start without reason',
    method: 'POST',
    path: '/admin/drain/start',
    headers: adminHeaders,
    body: '{"drain_timeout_secs":60}',
  });
  out.push({
    label: 'start with blank reason',
    method: 'POST',
    path: '/admin/drain/start',
    headers: adminHeaders,
    body: '{"reason":"   "}',
  });
  out.push({ label: 'start empty body', method: 'POST', path: '/admin/drain/start', headers: adminHeaders });
  out.push({
    label: 'register without id',
    method: 'POST',
    path: '/intents',
    headers: intentHeaders,
    body: '{"phase":"Pending"}',
  });
  out.push({ label: 'register empty body', method: 'POST', path: '/intents', headers: intentHeaders });
  out.push({
    label: 'register duplicate',
    method: 'POST',
    path: '/intents',
    headers: intentHeaders,
    body: '{"id":"existing-1"}',
  });
  out.push({
    label: 'patch nothing',
    method: 'PATCH',
    path: '/intents/existing-1',
    headers: intentHeaders,
    body: '{}',
  });
  out.push({
    label: 'patch unknown intent',
    method: 'PATCH',
    path: '/intents/missing',
    headers: intentHeaders,
    body: '{"phase":"X"}',
  });
  out.push({
    label: 'complete with fields',
    method: 'POST',
    path: '/intents/existing-1/complete',
    headers: intentHeaders,
    body: '{"force":true}',
  });
  for (const id of ['%20lead', 'a%2Fb', 'x'.repeat(200), '%E2%9C%93', '.hidden', '%ZZ']) {
    out.push({
      label: `bad id ${id.slice(0, 20)}`,
      method: 'PATCH',
      path: `/intents/${id}`,
      headers: intentHeaders,
      body: '{"phase":"X"}',
    });
    out.push({
      label: `bad id complete ${id.slice(0, 20)}`,
      method: 'POST',
      path: `/intents/${id}/complete`,
      headers: intentHeaders,
    });
  }
  for (const q of [
    'limit=0',
    'limit=1001',
    'limit=abc',
    'limit=-1',
    'limit=1.5',
    'limit=',
    'locked=yes',
    'locked=1',
    'locked=',
    'phase=',
    'phase=has%20space',
    'cursor=notbase64!!',
    'cursor=e30',
    'cursor=',
    'limit=5&limit=6',
    'locked=true&locked=false',
    'sort=age',
    'phase=P&bogus=1',
  ]) {
    out.push({ label: `inflight ?${q}`, method: 'GET', path: `/admin/inflight?${q}`, headers: adminHeaders });
  }
  for (const p of [
    '/',
    '/admin',
    '/admin/drain',
    '/admin/drain/',
    '/intents/',
    '/intents//complete',
    '/admin/upgrade/nope',
    '/health/',
    '/HEALTH',
    '/admin/inflight/x',
  ]) {
    out.push({ label: `bad path ${p}`, method: 'GET', path: p, headers: adminHeaders });
    out.push({ label: `bad path POST ${p}`, method: 'POST', path: p, headers: adminHeaders, body: '{}' });
  }
  return out;
}

describe('bad requests', () => {
  it('every generated bad request gets a 4xx JSON {error, message} and changes nothing', async () => {
    const requests = generate();
    expect(requests.length).toBeGreaterThanOrEqual(500);
    const before = await storedState();
    const failures: string[] = [];
    for (const r of requests) {
      const res = await api.raw(r.method, r.path, { headers: r.headers, body: r.body });
      const ok =
        res.status >= 400 &&
        res.status < 500 &&
        (res.headers.get('content-type') ?? '').startsWith('application/json') &&
        typeof res.body.error === 'string' &&
        typeof res.body.message === 'string' &&
        (res.body.message as string).length > 10;
      if (!ok)
        failures.push(
          `${r.label}: ${r.method} ${r.path.slice(0, 60)} -> ${res.status} ${res.text.slice(0, 120)}`,
        );
    }
    expect(failures).toEqual([]);
    expect(await storedState()).toEqual(before);
  });
});
