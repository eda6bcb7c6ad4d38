import { rmSync } from 'node:fs';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { coreServices } from '../lambdas/compose/core-services.ts';
import { environmentOf } from '../lambdas/compose/environment.ts';
import { protocolServices } from '../lambdas/compose/protocol-services.ts';
import { DynamoIntentConversion } from '../shared/adapters/dynamodb/intent-conversion.ts';
import { MigrationRegistry } from '../shared/migration/migration.ts';
import { PROTOCOL_MIGRATIONS } from '../shared/migration/protocol-migrations.ts';
import { startTestApi, type TestApi } from './support/api.ts';
import { stackDataDir, ucp } from './support/ucp.ts';
import { intentItems, runUpgrade } from './support/upgrade.ts';

/**
 * Protocol rollouts (seed 001's Procedure 3) on DynamoDB Local through the real handlers: 1.0.0 -> 2.0.0 (the
 * registry's two steps) in short phases. The schedule's tick is called by the test (the embedded runtime calls it
 * every second, the AWS rule every minute): each call does what one scheduled run would.
 */
let api: TestApi | undefined;
afterEach(async () => {
  await api?.stop();
  api = undefined;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Short caches, so a phase's conversion may end a few seconds after the version changed. */
const FAST = { VERSION_CACHE_MS: '200', FENCE_CLOCK_SKEW_MS: '100' };
const start = (t: TestApi, extra: Record<string, unknown> = {}) =>
  t.admin('POST', '/admin/protocol/rollouts', {
    from: '1.0.0',
    to: '2.0.0',
    parallel_secs: 1,
    deprecation_secs: 3,
    reason: 'protocol 2.0.0: Submitted replaces Pending',
    ...extra,
  });

/** Ticks (as the schedule would) until the rollout is in `phase`, or fails after `ms`. */
async function tickUntil(t: TestApi, id: string, phase: string, ms = 30_000) {
  const until = Date.now() + ms;
  for (;;) {
    await protocolServices(t.env).tick();
    const r = await t.admin('GET', `/admin/protocol/rollouts/${id}`);
    if (r.body.phase === phase) return r.body;
    if (Date.now() > until) throw new Error(`rollout still ${String(r.body.phase)}: ${r.text}`);
    await sleep(100);
  }
}

describe('protocol rollout', () => {
  it('moves 1.0.0 to 2.0.0 through parallel, migration, deprecation (426) and removal with no 503', async () => {
    api = await startTestApi(FAST);
    const t = api;
    const refused: string[] = [];
    const register = async (id: string, version?: string) => {
      const r = await t.intent('POST', '/intents', { id, ...(version ? { protocol_version: version } : {}) });
      if (r.status === 503) refused.push(id);
      return r;
    };
    expect((await register('before-1')).body.protocol_version).toBe('1.0.0');
    const started = await start(t);
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ phase: 'parallel', from: '1.0.0', to: '2.0.0' });
    const id = String(started.body.id);

    // Parallel: both admitted, each stamped with the version it was registered for.
    expect((await register('par-v1')).body.protocol_version).toBe('1.0.0');
    expect((await register('par-v2', '2.0.0')).body.protocol_version).toBe('2.0.0');

    const migrating = await tickUntil(t, id, 'migration');
    expect(migrating.next).toMatch(/converting 1.0.0 intents to 2.0.0/);
    await sleep(400); // the registrations' version cache
    expect((await register('mig-default')).body.protocol_version).toBe('2.0.0');

    const deprecating = await tickUntil(t, id, 'deprecation');
    expect(deprecating.sunset_at).toBeGreaterThan(Date.now());
    await sleep(400);
    const old = await register('dep-v1', '1.0.0');
    expect(old.status).toBe(426);
    expect(old.body).toMatchObject({ error: 'upgrade_required' });
    expect(old.body.sunset_at).toBe(new Date(Number(deprecating.sunset_at)).toISOString());
    expect(String(old.body.message)).toContain('sunset');
    expect((await register('dep-v2', '2.0.0')).status).toBe(201);

    const removed = await tickUntil(t, id, 'removed');
    expect((removed.history as { phase: string }[]).map((h) => h.phase)).toEqual([
      'parallel',
      'migration',
      'deprecation',
      'removed',
    ]);
    // Every intent inflight is 2.0.0 now, converted in place: Pending became Submitted.
    const all = await intentItems();
    expect(all.length).toBe(5);
    for (const i of all) expect(i.protocol_version).toBe('2.0.0');
    const converted = all.filter((i) => i.id === 'before-1' || i.id === 'par-v1');
    expect(converted.map((i) => [i.phase, i.phase_schema])).toEqual([
      ['Submitted', 2],
      ['Submitted', 2],
    ]);
    expect(refused).toEqual([]);
    // Each phase change is audited, and the new rollout may start now that this one is finished.
    const audit = await t.cp.audit.recent(100);
    const phases = audit.filter((a) => a.action === 'protocol.rollout.phase' && a.outcome === 'succeeded');
    expect(phases.map((a) => a.params.to_phase)).toEqual(['removed', 'deprecation', 'migration']);
    expect((await t.admin('GET', '/admin/drain/status')).body.version).toBe('2.0.0');
  }, 60_000);

  it('loses no concurrent PATCH while the migration phase converts intents', async () => {
    api = await startTestApi({ ...FAST, PROTOCOL_TICK_BUDGET_MS: '150' });
    const t = api;
    const ids = Array.from({ length: 120 }, (_, n) => `busy-${n}`);
    for (const id of ids) expect((await t.intent('POST', '/intents', { id })).status).toBe(201);
    const id = String((await start(t)).body.id);
    await tickUntil(t, id, 'migration');
    // Producers PATCH every intent over and over (phase and lock flags) while the ticks convert them.
    const last = new Map<string, { phase: string; user_funds_locked: boolean }>();
    let patching = true;
    const producer = async (w: number) => {
      for (let n = 0; patching; n++) {
        const target = ids[w + 4 * (n % 30)] as string; // each producer its own intents: one order of writes
        const change = { phase: `Matched${n % 5}`, user_funds_locked: n % 2 === 0 };
        const r = await t.intent('PATCH', `/intents/${target}`, change);
        expect(r.status).toBe(200);
        last.set(target, change);
      }
    };
    const producers = [0, 1, 2, 3].map(producer);
    const done = await tickUntil(t, id, 'deprecation');
    patching = false;
    await Promise.all(producers);
    const all = await intentItems();
    expect(all.length).toBe(120);
    for (const i of all) {
      expect(i.protocol_version).toBe('2.0.0');
      expect(i.phase_schema).toBe(2);
      const patched = last.get(String(i.id));
      if (patched)
        expect(i).toMatchObject(patched); // the last PATCH is what is stored
      else expect(i.phase).toBe('Submitted');
    }
    expect(last.size).toBeGreaterThan(20);
    // The migration phase's conversion, as the phase change recorded it: every intent once, some redone after a PATCH.
    const entry = (done.history as { phase: string; converted_before?: Record<string, number> }[]).at(-1);
    expect(entry?.phase).toBe('deprecation');
    expect(entry?.converted_before?.converted).toBe(120);
    console.log(`conversion under PATCH load: ${JSON.stringify(entry?.converted_before)}`);
  }, 90_000);

  it("a PATCH landing between the conversion's read and its write is kept: the intent is read again and converted from it", async () => {
    api = await startTestApi(FAST);
    const t = api;
    expect((await t.intent('POST', '/intents', { id: 'raced' })).status).toBe(201);
    const core = coreServices(t.env);
    // The producer's PATCH is sent right before the conversion's first write: the interleaving a race would give.
    let raced = false;
    const db = new Proxy(core.db, {
      get(target, prop, receiver) {
        if (prop !== 'send') return Reflect.get(target, prop, receiver);
        return async (command: unknown) => {
          if (!raced && command instanceof UpdateCommand) {
            raced = true;
            const r = await t.intent('PATCH', '/intents/raced', {
              phase: 'Matched',
              solver_funds_locked: true,
            });
            expect(r.status).toBe(200);
          }
          return target.send(command as UpdateCommand);
        };
      },
    });
    const conversion = new DynamoIntentConversion(db, t.env.config.tables.intents);
    const steps = new MigrationRegistry(PROTOCOL_MIGRATIONS).path('1.0.0', '2.0.0');
    const page = await conversion.convertPage(
      '1.0.0',
      (r) => steps.reduce((x, m) => m.forward(x), r),
      null,
      100,
    );
    expect(raced).toBe(true);
    expect(page).toMatchObject({ converted: 1, retried: 1, cursor: null });
    const [stored] = await intentItems();
    // The PATCH's phase and lock stand (a blind write of the converted record would have put Submitted back).
    expect(stored).toMatchObject({
      protocol_version: '2.0.0',
      phase: 'Matched',
      solver_funds_locked: true,
      phase_schema: 2,
      settlement_mode: 'standard',
    });
  });

  it('holds a phase, continues it with the time held added, and rolls back from deprecation', async () => {
    api = await startTestApi(FAST);
    const t = api;
    await t.intent('POST', '/intents', { id: 'v1-a' });
    const id = String((await start(t, { parallel_secs: 2, deprecation_secs: 600 })).body.id);
    const held = await t.admin('POST', `/admin/protocol/rollouts/${id}/hold`, {
      reason: 'producer X not ready',
    });
    expect(held.status).toBe(200);
    expect(held.body.next).toMatch(/held by/);
    expect((await t.admin('POST', `/admin/protocol/rollouts/${id}/hold`, { reason: 'again' })).status).toBe(
      409,
    );
    await sleep(2500);
    await protocolServices(t.env).tick();
    expect((await t.admin('GET', `/admin/protocol/rollouts/${id}`)).body.phase).toBe('parallel');
    const due = Number(held.body.phase_due_at);
    const goOn = await t.admin('POST', `/admin/protocol/rollouts/${id}/continue`);
    expect(goOn.status).toBe(200);
    expect(Number(goOn.body.phase_due_at)).toBeGreaterThanOrEqual(due + 2400);
    await tickUntil(t, id, 'deprecation');
    await sleep(400);
    expect((await t.intent('POST', '/intents', { id: 'v1-b', protocol_version: '1.0.0' })).status).toBe(426);

    const back = await t.admin('POST', `/admin/protocol/rollouts/${id}/rollback`, {
      reason: 'producer X broke',
    });
    expect(back.status).toBe(200);
    await tickUntil(t, id, 'rolled_back');
    await sleep(400);
    expect((await t.intent('POST', '/intents', { id: 'v1-c', protocol_version: '1.0.0' })).status).toBe(201);
    const mode = (await t.admin('GET', '/admin/drain/status')).body;
    expect(mode.version).toBe('1.0.0');
    const all = await intentItems();
    const a = all.find((i) => i.id === 'v1-a');
    expect(a).toMatchObject({ protocol_version: '1.0.0', phase: 'Pending' });
    expect(a?.phase_schema).toBeUndefined();
    expect(a?.settlement_mode).toBeUndefined();
    // A finished rollout cannot be rolled back again, or held.
    const again = await t.admin('POST', `/admin/protocol/rollouts/${id}/rollback`, { reason: 'twice' });
    expect(again.status).toBe(409);
    expect(again.body.error).toBe('rollout_finished');
  }, 60_000);

  it('goes on after a restart in each phase, and repairs a mode a crash left behind', async () => {
    api = await startTestApi({ ...FAST, PROTOCOL_TICK_BUDGET_MS: '100' });
    const t = api;
    for (let n = 0; n < 150; n++) await t.intent('POST', '/intents', { id: `r-${n}` });
    const id = String((await start(t)).body.id);
    // A restarted process: new services over the same tables, nothing carried in memory.
    const restarted = () => protocolServices(environmentOf(t.env.config, {}));
    await sleep(1100);
    await restarted().tick(); // enters migration, converts a little (100 ms budget), saves its cursor
    const partly = (await t.admin('GET', `/admin/protocol/rollouts/${id}`)).body;
    expect(partly.phase).toBe('migration');
    const c = partly.conversion as { converted: number; done: boolean };
    expect(c.done).toBe(false);
    // A crash between the phase write and the mode write: the mode is put back to 1.0.0 by hand; the next tick,
    // in another process, repairs it before converting more.
    const core = t.cp;
    await core.drain.setRunningVersion({ actor: 'crash', correlationId: null }, '1.0.0');
    const deadline = Date.now() + 30_000;
    let r: Record<string, unknown> = partly;
    while (r.phase !== 'removed' && Date.now() < deadline) {
      await restarted().tick();
      r = (await t.admin('GET', `/admin/protocol/rollouts/${id}`)).body;
      if (r.phase === 'migration')
        expect((await t.admin('GET', '/admin/drain/status')).body.version).toBe('2.0.0');
    }
    expect(r.phase).toBe('removed');
    const all = await intentItems();
    expect(all.filter((i) => i.protocol_version === '2.0.0').length).toBe(150);
  }, 60_000);

  it('refuses bad rollouts with a 400 that says what to fix, and starts nothing', async () => {
    api = await startTestApi(FAST);
    const t = api;
    const unknownFrom = await start(t, { from: '9.9.9' });
    expect(unknownFrom.status).toBe(400);
    expect(unknownFrom.body.message).toMatch(/runs 1.0.0; roll out from 1.0.0/);
    const unknownTo = await start(t, { to: '7.0.0' });
    expect(unknownTo.status).toBe(400);
    expect(unknownTo.body.message).toMatch(/no migration path from 1.0.0 to 7.0.0/);
    const zero = await start(t, { parallel_secs: 0 });
    expect(zero.status).toBe(400);
    expect(zero.body.message).toMatch(/parallel_secs/);
    expect((await t.admin('GET', '/admin/protocol/rollouts')).body.count).toBe(0);
    const first = await start(t);
    expect(first.status).toBe(201);
    const overlap = await start(t, { to: '1.1.0' });
    expect(overlap.status).toBe(400);
    expect(overlap.body.message).toContain(`protocol rollout ${String(first.body.id)} is not finished`);
    expect((await t.admin('GET', '/admin/protocol/rollouts')).body.count).toBe(1);
    expect((await t.admin('GET', '/admin/protocol/rollouts/pr-nope')).status).toBe(404);
  }, 30_000);

  it('ucp protocol: start, show, hold, continue, list, rollback', async () => {
    api = await startTestApi(FAST);
    const dir = stackDataDir(api.url, api.adminToken);
    const run = (...args: string[]) => ucp('--data-dir', dir, ...args);
    const bad = await run('protocol', 'start', '--from', '1.0.0', '--to', '2.0.0', '--reason', 'x');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/parallel_secs/);
    const started = await run(
      ...['protocol', 'start', '--from', '1.0.0', '--to', '2.0.0', '--parallel-secs', '3600'],
      ...['--deprecation-secs', '86400', '--reason', 'v2 for every producer', '--json'],
    );
    expect(started.code, started.stderr).toBe(0);
    const id = String(started.json?.id);
    const shown = await run('protocol', 'show', id);
    expect(shown.stdout).toMatch(/protocol:\s+1\.0\.0 -> 2\.0\.0/);
    expect(shown.stdout).toMatch(/next:\s+migration phase in 3[56]\d\d s/);
    expect((await run('protocol', 'hold', id, '--reason', 'wait for X')).stdout).toMatch(/\(held\)/);
    expect((await run('protocol', 'list')).stdout).toMatch(new RegExp(`${id}.*parallel \\(held\\)`));
    expect((await run('protocol', 'continue', id)).code).toBe(0);
    const back = await run('protocol', 'rollback', id, '--reason', 'not now');
    expect(back.stdout).toMatch(/phase:\s+rolled_back/); // from the parallel phase: at once
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('owns the running version while unfinished: an upgrade changing it gets 409 until it ends, and the reverse', async () => {
    api = await startTestApi({ ...FAST, MIN_UPGRADE_INTERVAL_SECS: '0' });
    const t = api;
    const id = String((await start(t, { parallel_secs: 3600 })).body.id);
    const changing = await t.admin('POST', '/admin/upgrade/start', {
      target_version: '1.1.0',
      reason: 'v1.1',
    });
    expect(changing.status).toBe(409);
    expect(changing.body.error).toBe('protocol_rollout_active');
    expect(String(changing.body.message)).toMatch(/rolling release, maintenance/);
    expect((await t.admin('GET', '/admin/upgrade/status')).body.state).toBe('none');
    // Once it is rolled back (and finished), the same upgrade may start.
    await t.admin('POST', `/admin/protocol/rollouts/${id}/rollback`, { reason: 'make room' });
    await tickUntil(t, id, 'rolled_back');
    const run = await runUpgrade(
      t,
      { target_version: '1.1.0', reason: 'v1.1', poll_interval_secs: 1 },
      async () => {
        // While that upgrade changes the version, a rollout is refused: it names the upgrade.
        const during = await start(t, { to: '2.0.0' });
        expect(during.status).toBe(409);
        expect(during.body.error).toBe('upgrade_running');
      },
    );
    expect(run.execution.status).toBe('SUCCEEDED');
  }, 60_000);
});
