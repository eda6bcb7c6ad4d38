import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summariseExecution } from '../../local/console/execution-summary.ts';
import { ASL_FILE } from '../../local/workflow/asl-file.ts';
import type { ExecutionEvent } from '../../shared/upgrade/workflow-engine.ts';
import { startTestApi, type TestApi } from '../support/api.ts';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api.stop();
});

describe('the console endpoints of the local gateway', () => {
  it('serves the page and its assets from console/, with a self-only content security policy', async () => {
    const page = await api.raw('GET', '/console');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.text).toContain('<script type="module" src="/console/main.js">');
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'self'; script-src 'self'/);
    const script = await api.raw('GET', '/console/main.js');
    expect(script.headers.get('content-type')).toMatch(/text\/javascript/);
    const linked = [...page.text.matchAll(/(?:href|src)="(\/console\/[^"]+)"/g)].map((m) => m[1] as string);
    expect(linked).toContain('/console/graph.css');
    for (const path of linked) expect((await api.raw('GET', path)).status, path).toBe(200);
    const imports = [...script.text.matchAll(/from '\.\/([a-z-]+\.js)'/g)].map((m) => `/console/${m[1]}`);
    expect(imports.length).toBeGreaterThan(5);
    for (const path of imports) expect((await api.raw('GET', path)).status, path).toBe(200);
    const asl = await api.raw('GET', '/console/asl.json');
    expect(asl.body).toEqual(JSON.parse(readFileSync(ASL_FILE, 'utf8')));
    for (const path of ['/console/nope.js', '/console/%2e%2e%2fpackage.json', '/console/..%2Fpackage.json'])
      expect((await api.raw('GET', path)).status, path).toBe(404);
  });

  it('reads without a token: the snapshot and the admin GET routes, nothing else, and only for this machine', async () => {
    const snap = await api.raw('GET', '/console/api/snapshot');
    expect(snap.status).toBe(200);
    expect(snap.body).toMatchObject({
      drain: { status: 200, body: { mode: 'Active' } },
      upgrade_status: {
        status: 200,
        body: { state: 'none', upgrade_id: null, drain_status: { mode: 'Active' } },
      },
      upgrade: null,
      upgrades: { status: 200, body: { upgrades: [] } },
      proposals: { status: 200 },
      checkpoints: { status: 200 },
    });
    expect((await api.intent('POST', '/intents', { id: 'seen-by-console' })).status).toBe(201);
    const page = await api.raw('GET', '/console/api/admin/inflight?limit=1');
    expect(page.body).toMatchObject({ count: 1, intents: [{ id: 'seen-by-console' }] });
    expect((await api.raw('GET', '/console/api/admin/drain/start')).status).toBe(404);
    expect((await api.raw('POST', '/console/api/snapshot')).status).toBe(405);
    expect((await api.raw('POST', '/console/api/admin/upgrade/abort')).status).toBe(405);
    const rebound = await api.raw('GET', '/console/api/snapshot', { headers: { host: 'attacker.example' } });
    expect(rebound.status).toBe(403);
    expect(rebound.text).not.toContain('Active');
    expect((await api.raw('GET', '/admin/drain/status')).status).toBe(401);
  });
});

describe('the execution summary the graph is coloured from', () => {
  const at = (type: string, state: string | null, error: string | null = null): ExecutionEvent => ({
    timestamp: '2026-01-01T00:00:00Z',
    type,
    state,
    error,
    cause: null,
  });

  it('keeps where it is, what each state did, and each transition once', () => {
    const s = summariseExecution([
      at('StateEntered', 'Check drain progress'),
      at('StateExited', 'Check drain progress'),
      at('StateEntered', 'Wait'),
      at('StateExited', 'Wait'),
      at('StateEntered', 'Check drain progress'),
      at('StateExited', 'Check drain progress'),
      at('StateEntered', 'Wait'),
      at('StateExited', 'Wait'),
      at('StateEntered', 'Mark upgrading'),
      at('StateFailed', 'Mark upgrading', 'Boom'),
      at('StateCaught', 'Mark upgrading'),
      at('StateEntered', 'Roll back'),
    ]);
    expect(s).toMatchObject({ status: 'RUNNING', current: 'Roll back' });
    expect(s.states).toEqual({
      'Check drain progress': { outcome: 'exited', entries: 2 },
      Wait: { outcome: 'exited', entries: 2 },
      'Mark upgrading': { outcome: 'failed', entries: 1 },
      'Roll back': { outcome: 'entered', entries: 1 },
    });
    expect(s.transitions.map((t) => `${t.from} > ${t.to}`)).toEqual([
      'Check drain progress > Wait',
      'Wait > Check drain progress',
      'Wait > Mark upgrading',
      'Mark upgrading > Roll back',
    ]);
    const ended = summariseExecution([
      at('StateEntered', 'Roll back'),
      at('ExecutionFailed', null, 'States.Fail'),
    ]);
    expect(ended).toMatchObject({ status: 'FAILED', current: 'Roll back', error: 'States.Fail' });
  });
});
