import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coreServices } from '../lambdas/compose/core-services.ts';
import { ADMISSION_LEASE_MS } from '../shared/adapters/dynamodb/admission.ts';
import { startTestApi, type TestApi } from './support/api.ts';
import { holdBetweenSteps } from './support/between-steps.ts';
import { admin } from './support/control-plane.ts';
import { listAll, raceRounds } from './support/fence-race.ts';
import { type HttpRegistrar, httpRegistrars } from './support/http-registrars.ts';
import type { Registrar } from './support/registrars.ts';

/**
 * The admission fence's race (test/support/fence-race.ts) and its stopped registrations (test/fence-steps.test.ts) through
 * each HTTP way in of the intent routes: the REST API's shape (payload 1.0) and the function URLs' (payload 2.0),
 * the same handlers behind the local gateway. One clock (FENCE_CLOCK_SKEW_MS 0): registrants, handlers and status
 * calls run in this process.
 */
let api: TestApi;
let registrars: HttpRegistrar[];
beforeAll(async () => {
  api = await startTestApi({ FENCE_CLOCK_SKEW_MS: '0' });
  registrars = await httpRegistrars(api);
});
afterAll(async () => {
  for (const r of registrars ?? []) await r.stop();
  await api?.stop();
});

const SHAPES = ['REST API (payload 1.0)', 'function URL (payload 2.0)'];
const tag = (shape: string) => (shape.startsWith('REST') ? 'rest' : 'url');
const registrar = (shape: string) => registrars.find((r) => r.name === shape) as HttpRegistrar;

const listed = () => listAll(api.cp);

/** An HTTP way in as the shared race's registrar (test/support/fence-race.ts). */
const asRegistrar = (via: HttpRegistrar): Registrar => ({
  name: via.name,
  register: async (id) => ((await via.register(id)) ? 'admitted' : 'refused'),
  complete: (id) => via.complete(id),
  close: async () => {},
});

const tables = () => api.env.config.tables;
const hold = (id: string) => holdBetweenSteps(coreServices(api.env).db, tables(), id);

describe.each(SHAPES)('the admission fence through HTTP: %s', (shape) => {
  it('after Drained no registration lands, and refused ones leave nothing (32 registrants, 50 rounds)', async () => {
    await raceRounds(api.cp, asRegistrar(registrar(shape)), 50, `-${tag(shape)}`);
  }, 120_000);

  it('a drain between a registration’s Put and its gate read: 503, nothing left, and the drain ends Drained', async () => {
    const via = registrar(shape);
    const id = `between-${tag(shape)}`;
    const paused = hold(id);
    const reply = via.send('POST', '/intents', { id });
    await paused.reached;
    // Put before the close: it might be admitted, so it counts until its registrant decides.
    expect(await api.cp.drain.startDrain(admin, 'drain between the steps', 60)).toMatchObject({
      mode: 'Draining',
      inflight_count: 1,
    });
    paused.go();
    expect(await reply).toMatchObject({ status: 503, body: { error: 'not_admitting' } });
    expect(await api.cp.drain.status()).toMatchObject({ mode: 'Drained', inflight_count: 0 });
    expect(await listed()).toEqual([]);
    await api.cp.drain.resume(admin, null);
  });

  it('a registrant killed between its steps before the drain: counted and listed; the retry is 409, completing it drains', async () => {
    const via = registrar(shape);
    const id = `orphan-${tag(shape)}`;
    const paused = hold(id);
    const reply = via.send('POST', '/intents', { id });
    await paused.reached;
    paused.die();
    expect((await reply).status).toBe(500);
    expect(await api.cp.drain.startDrain(admin, 'drain with a dead registrant', 60)).toMatchObject({
      mode: 'Draining',
      inflight_count: 1,
    });
    expect(await listed()).toEqual([id]);
    const retry = await via.send('POST', '/intents', { id });
    expect(retry).toMatchObject({ status: 409, body: { error: 'duplicate_intent' } });
    await via.complete(id);
    expect(await api.cp.drain.status()).toMatchObject({ mode: 'Drained', inflight_count: 0 });
    await api.cp.drain.resume(admin, null);
  });

  it('a registrant killed between its steps after the gates closed: never counted, refused on retry, removed at resume', async () => {
    const via = registrar(shape);
    const keeper = `keeper-${tag(shape)}`;
    const ghost = `ghost-${tag(shape)}`;
    expect(await via.register(keeper)).toBe(true);
    expect(await api.cp.drain.startDrain(admin, 'drain', 60)).toMatchObject({ inflight_count: 1 });
    await new Promise((r) => setTimeout(r, 5)); // created after the close stamp
    const paused = hold(ghost);
    const reply = via.send('POST', '/intents', { id: ghost });
    await paused.reached;
    paused.die();
    expect((await reply).status).toBe(500);
    expect(await api.cp.drain.status()).toMatchObject({ mode: 'Draining', inflight_count: 1 });
    expect(await listed()).toEqual([keeper]);
    await via.complete(keeper);
    expect(await api.cp.drain.status()).toMatchObject({ mode: 'Drained', inflight_count: 0 });
    expect(await via.register(ghost)).toBe(false);
    const started = Date.now();
    expect(await api.cp.drain.resume(admin, null)).toMatchObject({ mode: 'Active', inflight_count: 0 });
    expect(Date.now() - started).toBeLessThan(ADMISSION_LEASE_MS + 3000);
    expect(await listed()).toEqual([]);
    expect(await via.register(ghost)).toBe(true);
    await via.complete(ghost);
  }, 30_000);
});
