import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coreServices } from '../lambdas/compose/core-services.ts';
import { ADMISSION_LEASE_MS } from '../shared/adapters/dynamodb/admission.ts';
import { startTestApi, type TestApi } from './support/api.ts';
import { holdBetweenSteps } from './support/between-steps.ts';
import { admin } from './support/control-plane.ts';
import { type HttpRegistrar, httpRegistrars } from './support/http-registrars.ts';

/**
 * The admission fence's race (test/fence.test.ts) and its stopped registrations (test/fence-steps.test.ts) through
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

async function listAll(): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.cp.inflight.list({ limit: 100, cursor });
    ids.push(...page.intents.map((i) => i.id));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return ids;
}

/**
 * 32 registrants over HTTP race start-drain, `rounds` times (as fence.test.ts's race, with a shorter hammering
 * after Drained). Before Drained is seen each registrant completes what it registered; after, nothing: a 201 then
 * would be an intent admitted after the Drained snapshot. Refused registrations must leave nothing.
 */
async function race(via: HttpRegistrar, rounds: number) {
  let admittedTotal = 0;
  let refusedTotal = 0;
  const admitted = new Set<string>();
  for (let round = 0; round < rounds; round++) {
    let stop = false;
    let drainedSeen = false;
    const landedAfterDrained: string[] = [];
    const registrant = async (r: number) => {
      for (let n = 0; !stop; n++) {
        const id = `h${round}-w${r}-${n}-${tag(via.name)}`;
        if (await via.register(id)) {
          admittedTotal++;
          admitted.add(id);
          if (drainedSeen) landedAfterDrained.push(id);
          else await via.complete(id);
        } else {
          refusedTotal++;
          await new Promise((r) => setTimeout(r, 1));
        }
      }
    };
    const workers = Array.from({ length: 32 }, (_, r) => registrant(r));
    await new Promise((r) => setTimeout(r, 5 + (round % 5) * 3));
    await api.cp.drain.startDrain(admin, `http round ${round}`, 60);
    for (let i = 0; ; i++) {
      const s = await api.cp.drain.status();
      if (s.mode === 'Drained') {
        drainedSeen = true;
        expect(s.inflight_count).toBe(0);
        break;
      }
      if (i > 2000) throw new Error('drain did not finish');
      await new Promise((r) => setTimeout(r, 2));
    }
    await new Promise((r) => setTimeout(r, 10));
    const after = await api.cp.drain.status();
    expect(after.mode).toBe('Drained');
    expect((await listAll()).filter((id) => admitted.has(id))).toEqual([]);
    stop = true;
    await Promise.all(workers);
    expect(landedAfterDrained).toEqual([]);
    expect((await api.cp.drain.status()).inflight_count).toBe(0);
    expect(await listAll()).toEqual([]);
    await api.cp.drain.resume(admin, null);
  }
  expect(admittedTotal).toBeGreaterThan(0);
  expect(refusedTotal).toBeGreaterThan(0);
}

const tables = () => api.env.config.tables;
const hold = (id: string) => holdBetweenSteps(coreServices(api.env).db, tables(), id);

describe.each(SHAPES)('the admission fence through HTTP: %s', (shape) => {
  it('after Drained no registration lands, and refused ones leave nothing (32 registrants, 50 rounds)', async () => {
    await race(registrar(shape), 50);
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
    expect(await listAll()).toEqual([]);
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
    expect(await listAll()).toEqual([id]);
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
    expect(await listAll()).toEqual([keeper]);
    await via.complete(keeper);
    expect(await api.cp.drain.status()).toMatchObject({ mode: 'Drained', inflight_count: 0 });
    expect(await via.register(ghost)).toBe(false);
    const started = Date.now();
    expect(await api.cp.drain.resume(admin, null)).toMatchObject({ mode: 'Active', inflight_count: 0 });
    expect(Date.now() - started).toBeLessThan(ADMISSION_LEASE_MS + 3000);
    expect(await listAll()).toEqual([]);
    expect(await via.register(ghost)).toBe(true);
    await via.complete(ghost);
  }, 30_000);
});
