import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../lambdas/routes.ts';
import { startTestApi, type TestApi } from './support/api.ts';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api.stop();
});

describe('the HTTP API through the local API Gateway adapter', () => {
  it('walks the operator flow: register, drain, 503 with Retry-After, inflight falls, Drained, resume', async () => {
    expect((await api.raw('GET', '/health')).body).toMatchObject({ status: 'Healthy', mode: 'Active' });
    const created = await api.intent('POST', '/intents', {
      id: 'flow-1',
      phase: 'UserLocked',
      user_funds_locked: true,
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe('/intents/flow-1');
    expect(created.body).toMatchObject({
      id: 'flow-1',
      phase: 'UserLocked',
      user_funds_locked: true,
      protocol_version: '1.0.0',
    });
    await api.intent('POST', '/intents', { id: 'flow-2', ibc_in_flight: true });

    const started = await api.admin('POST', '/admin/drain/start', {
      reason: 'Upgrading to v2.0.0',
      drain_timeout_secs: 120,
    });
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({
      mode: 'Draining',
      inflight_count: 2,
      reason: 'Upgrading to v2.0.0',
      pending_ibc_packets: 1,
    });
    expect(Date.parse(started.body.deadline as string) - Date.parse(started.body.started_at as string)).toBe(
      120_000,
    );

    const refused = await api.intent('POST', '/intents', { id: 'flow-3' });
    expect(refused.status).toBe(503);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.body).toMatchObject({ error: 'not_admitting', mode: 'Draining' });
    expect(refused.body.message).toContain('Draining');

    const patched = await api.intent('PATCH', '/intents/flow-1', {
      phase: 'Settling',
      user_funds_locked: false,
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ phase: 'Settling', user_funds_locked: false });

    const listed = await api.admin('GET', '/admin/inflight?phase=Settling');
    expect(listed.body).toMatchObject({ count: 2, next_cursor: null });
    expect((listed.body.intents as { id: string }[]).map((i) => i.id)).toEqual(['flow-1']);

    expect((await api.intent('POST', '/intents/flow-1/complete')).body).toMatchObject({ completed: true });
    const mid = await api.admin('GET', '/admin/drain/status');
    expect(mid.body).toMatchObject({ mode: 'Draining', inflight_count: 1, completed_since_drain: 1 });
    expect((await api.intent('POST', '/intents/flow-2/complete')).body).toMatchObject({ completed: true });
    expect((await api.intent('POST', '/intents/flow-2/complete')).body).toMatchObject({ completed: false });
    const drained = await api.admin('GET', '/admin/drain/status');
    expect(drained.body).toMatchObject({
      mode: 'Drained',
      inflight_count: 0,
      completed_since_drain: 2,
      oldest_inflight_age_secs: null,
    });

    const resumed = await api.admin('POST', '/admin/drain/resume', { version: '2.0.0' });
    expect(resumed.body).toMatchObject({ mode: 'Active', version: '2.0.0' });
    expect((await api.intent('POST', '/intents', { id: 'flow-3' })).status).toBe(201);
  });

  it('force: 409 naming the locked intents, then 200 with acknowledgement', async () => {
    await api.intent('POST', '/intents', { id: 'f-locked', solver_funds_locked: true });
    await api.admin('POST', '/admin/drain/start', { reason: 'force test' });
    const refused = await api.admin('POST', '/admin/drain/force', {});
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: 'locked_funds', locked_intents: ['f-locked'] });
    const forced = await api.admin('POST', '/admin/drain/force', { acknowledge_locked_funds: true });
    expect(forced.body).toMatchObject({ mode: 'Drained', forced: true });
    expect((await api.admin('POST', '/admin/drain/cancel')).body).toMatchObject({ mode: 'Active' });
    await api.intent('POST', '/intents/f-locked/complete');
  });

  it('an illegal move is a 409 that says what to do instead', async () => {
    const res = await api.admin('POST', '/admin/drain/cancel');
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ error: 'illegal_transition', mode: 'Active' });
    expect(res.body.message).toContain('there is no drain to cancel');
  });

  it('keeps admin and intent credentials apart on every route', async () => {
    for (const route of ROUTES) {
      const path = route.resource.replace('{id}', 'abc');
      const none = await api.raw(route.method, path);
      if (route.access === 'public') {
        expect(none.status).toBe(200);
        continue;
      }
      expect(none.status, `${route.method} ${path} without a token`).toBe(401);
      expect(none.headers.get('www-authenticate')).toBe('Bearer');
      const wrong = route.access === 'admin' ? api.intentToken : api.adminToken;
      const other = await api.raw(route.method, path, { headers: { authorization: `Bearer ${wrong}` } });
      expect(other.status, `${route.method} ${path} with the other token`).toBe(403);
      const bogus = await api.raw(route.method, path, { headers: { authorization: 'Bearer nope' } });
      expect(bogus.status).toBe(401);
    }
  });

  it('audits who did what, naming the operator behind a shared token', async () => {
    await api.raw('POST', '/admin/drain/start', {
      headers: {
        authorization: `Bearer ${api.adminToken}`,
        'content-type': 'application/json',
        'x-operator': 'alice',
      },
      body: JSON.stringify({ reason: 'audit check' }),
    });
    await api.admin('POST', '/admin/drain/cancel');
    const [cancel, start] = await api.cp.audit.recent(2);
    expect(start).toMatchObject({
      action: 'drain.start',
      actor: 'admin-token (alice)',
      outcome: 'succeeded',
      params: { reason: 'audit check' },
    });
    expect(cancel).toMatchObject({ action: 'drain.cancel', actor: 'admin-token', outcome: 'succeeded' });
    expect(start?.correlationId).toBeTruthy();
  });

  it('pages through /admin/inflight with the cursor it returns', async () => {
    for (let n = 0; n < 12; n++) await api.intent('POST', '/intents', { id: `page-${n}` });
    const ids: string[] = [];
    let next: string | null = null;
    do {
      const res = await api.admin('GET', `/admin/inflight?limit=5${next ? `&cursor=${next}` : ''}`);
      expect(res.status).toBe(200);
      ids.push(...(res.body.intents as { id: string }[]).map((i) => i.id));
      next = res.body.next_cursor as string | null;
    } while (next);
    expect(ids.filter((id) => id.startsWith('page-')).sort()).toEqual(
      Array.from({ length: 12 }, (_, n) => `page-${n}`).sort(),
    );
    for (let n = 0; n < 12; n++) await api.intent('POST', `/intents/page-${n}/complete`);
  });
});
