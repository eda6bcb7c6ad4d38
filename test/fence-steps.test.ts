import { describe, expect, it } from 'vitest';
import { meterCapacity } from '../bench/capacity-meter.ts';
import { ADMISSION_LEASE_MS, checkGate, putIntent } from '../shared/adapters/dynamodb/admission.ts';
import { DynamoIntentStore } from '../shared/adapters/dynamodb/intent-store.ts';
import { loadConfig } from '../shared/config.ts';
import { buildCorePlane } from '../shared/core-plane.ts';
import { ConflictError, NotAdmittingError } from '../shared/domain/errors.ts';
import { type InflightIntent, shardOf } from '../shared/domain/inflight.ts';
import { admin, createTables, freshEnv } from './support/control-plane.ts';

/**
 * A registration is two steps (a conditional Put, then a strongly consistent read of the gate). These tests stop a
 * registrant between them, as a crash or a slow network would, and check the fence's promises on DynamoDB Local.
 */
async function core(extra: Record<string, string> = {}) {
  const config = loadConfig(freshEnv(extra));
  await createTables(config);
  const cp = buildCorePlane(config);
  await cp.init();
  const tables = { intents: config.tables.intents, control: config.tables.control };
  const intent = (id: string): InflightIntent => {
    const now = Date.now();
    return {
      id,
      phase: 'Pending',
      user_funds_locked: false,
      solver_funds_locked: false,
      ibc_in_flight: false,
      protocol_version: '1.0.0',
      created_at: now,
      updated_at: now,
    };
  };
  const shard = (id: string) => shardOf(id, config.shardCount);
  /** Step 1 alone: what a registrant that dies after its Put leaves behind. */
  const putOnly = (i: InflightIntent) => putIntent(cp.db, tables, i, shard(i.id), config.fenceClockSkewMs);
  const listed = async () => (await cp.inflight.list({ limit: 100 })).intents.map((i) => i.id);
  return { cp, config, tables, intent, shard, putOnly, listed };
}

describe('a registration stopped between its Put and its gate check', () => {
  it('a drain started in between: the check refuses, nothing is left, and the drain ends Drained', async () => {
    const { cp, tables, intent, shard, putOnly } = await core();
    const i = intent('between');
    const sent = performance.now();
    expect(await putOnly(i)).toBe('written');
    const draining = await cp.drain.startDrain(admin, 'drain between the steps', 60);
    // Put before the close: it might have been admitted, so it is counted until its registrant decides.
    expect(draining).toMatchObject({ mode: 'Draining', inflight_count: 1 });
    expect(await checkGate(cp.db, tables, i, shard(i.id), '1.0.0', sent)).toBe('fenced');
    expect(await cp.drain.status()).toMatchObject({ mode: 'Drained', inflight_count: 0 });
    await expect(cp.inflight.get('between')).rejects.toThrow(/not inflight/);
  });

  it('a registrant dead before the drain: its intent is counted and listed, and the retry finds it inflight', async () => {
    const { cp, intent, putOnly, listed } = await core();
    expect(await putOnly(intent('orphan'))).toBe('written');
    const draining = await cp.drain.startDrain(admin, 'drain with a dead registrant', 60);
    expect(draining).toMatchObject({ mode: 'Draining', inflight_count: 1 });
    expect(await listed()).toEqual(['orphan']);
    // The producer never got an answer and retries: it learns the intent is inflight (it may have been admitted).
    const retry = await cp.inflight.register({ id: 'orphan' }).catch((e: unknown) => e);
    expect(retry).toBeInstanceOf(ConflictError);
    expect((retry as ConflictError).code).toBe('duplicate_intent');
    expect((retry as Error).message).toMatch(/carry on with it and complete it/);
    expect((await cp.inflight.complete('orphan')).completed).toBe(true);
    expect(await cp.drain.status()).toMatchObject({ mode: 'Drained', inflight_count: 0 });
  });

  it('a registrant dead after the gates closed: never counted, refused on retry, removed before the gates reopen', async () => {
    const { cp, intent, putOnly, listed } = await core({ FENCE_CLOCK_SKEW_MS: '0' });
    await cp.inflight.register({ id: 'keeper' });
    expect(await cp.drain.startDrain(admin, 'drain', 60)).toMatchObject({ inflight_count: 1 });
    await new Promise((r) => setTimeout(r, 5)); // created after the close stamp
    expect(await putOnly(intent('ghost'))).toBe('written');
    // It was Put behind a closed gate, so it was never admitted: it neither counts nor blocks the drain.
    expect(await cp.drain.status()).toMatchObject({ mode: 'Draining', inflight_count: 1 });
    expect(await listed()).toEqual(['keeper']);
    await cp.inflight.complete('keeper');
    expect(await cp.drain.status()).toMatchObject({ mode: 'Drained', inflight_count: 0 });
    await expect(cp.inflight.register({ id: 'ghost' })).rejects.toBeInstanceOf(NotAdmittingError);
    // Resuming waits out the dead registrant's lease, then removes what it left, before the gates reopen.
    const started = Date.now();
    const active = await cp.drain.resume(admin, null);
    expect(Date.now() - started).toBeLessThan(ADMISSION_LEASE_MS + 3000);
    expect(active).toMatchObject({ mode: 'Active', inflight_count: 0 });
    await expect(cp.inflight.get('ghost')).rejects.toThrow(/not inflight/);
    expect(await listed()).toEqual([]);
  }, 30_000);
});

describe('removing what refused registrations left', () => {
  it('keeps an item whose gate reopened while the reaper waited: its registrant may have admitted it', async () => {
    const { cp, config, tables, intent, shard, putOnly } = await core({ FENCE_CLOCK_SKEW_MS: '0' });
    const store = new DynamoIntentStore(
      cp.db,
      config.tables,
      config.shardCount,
      () => cp.fence.snapshot(),
      0,
    );
    await cp.inflight.register({ id: 'keeper' });
    await cp.drain.startDrain(admin, 'drain', 60);
    await new Promise((r) => setTimeout(r, 5));
    const late = intent('late');
    const sent = performance.now();
    expect(await putOnly(late)).toBe('written'); // Put behind the closed gate; its registrant is still running
    const reaping = store.reapUnadmitted(Date.now()); // finds it, and waits out its lease
    await new Promise((r) => setTimeout(r, 200));
    // Meanwhile the gates reopen (a concurrent resume, or a registration repairing gates the mode says are open),
    // and the registrant reads its gate open, within its lease: admitted.
    const mode = await cp.fence.readMode();
    await cp.fence.setGates(true, mode.fenceRev + 1, mode.version);
    expect(await checkGate(cp.db, tables, late, shard('late'), mode.version, sent)).toBe('registered');
    expect(await reaping).toBe(0);
    expect((await cp.inflight.get('late')).id).toBe('late');
  }, 30_000);
});

describe('what an admission costs, as DynamoDB bills it (ReturnConsumedCapacity on DynamoDB Local)', () => {
  it('register is 1 WCU + 1 RCU and complete 1 WCU: 2 WCU + 1 RCU per intent (plus 0.5 RCU a second for the bake)', async () => {
    // The running version is cached (10 s by default), so the mode read is shared by many registrations.
    const { cp } = await core({ VERSION_CACHE_MS: '10000' });
    await cp.inflight.register({ id: 'warm' }); // fills the cache outside the meter
    const meter = meterCapacity(cp.db);
    for (let n = 0; n < 20; n++) await cp.inflight.register({ id: `cost-${n}` });
    const register = { ...meter.totals };
    meter.reset();
    const t0 = Date.now();
    for (let n = 0; n < 20; n++) await cp.inflight.complete(`cost-${n}`);
    const elapsedMs = Date.now() - t0;
    expect({ write: register.write / 20, read: register.read / 20 }).toEqual({ write: 1, read: 1 });
    // Completion reads whether a bake counts outcomes at most once a second (an eventually consistent 0.5 RCU),
    // whatever the rate: the 20 completions here share one read. No bake counting: no extra write.
    expect(meter.totals.write / 20).toBe(1);
    expect(meter.totals.read).toBeLessThanOrEqual(0.5 * Math.ceil(elapsedMs / 1000 + 1));
    expect(meter.totals.read).toBeGreaterThan(0);
  });
});
