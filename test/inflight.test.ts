import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { makeDocumentClient } from '../shared/adapters/dynamodb/client.ts';
import { OUTCOME_COUNTERS } from '../shared/adapters/dynamodb/outcome-ledger.ts';
import type { Config } from '../shared/config.ts';
import type { ControlPlane } from '../shared/control-plane.ts';
import { ConflictError, NotAdmittingError, NotFoundError } from '../shared/domain/errors.ts';
import { shardOf } from '../shared/domain/inflight.ts';
import { admin, freshControlPlane } from './support/control-plane.ts';

let cp: ControlPlane;
let config: Config;
beforeEach(async () => {
  ({ cp, config } = await freshControlPlane());
});

describe('inflight tracker on DynamoDB Local', () => {
  it('a completion whose outcome cannot be counted still completes: the bake loses one sample, not the intent', async () => {
    const now = Date.now();
    await cp.outcomes.begin({ upgradeId: 'u-bake', since: now, until: now + 60_000 });
    await cp.inflight.register({ id: 'spoilt' });
    await cp.inflight.register({ id: 'fine' });
    // The counter item this completion adds to holds a string where a count belongs: DynamoDB refuses the ADD.
    const db = makeDocumentClient({ endpoint: config.dynamoEndpoint });
    const key = { pk: `OUTCOMES#u-bake#${shardOf('spoilt', OUTCOME_COUNTERS)}`, sk: 'COUNT' };
    await db.send(
      new PutCommand({ TableName: config.tables.control, Item: { ...key, failed: 'not a number' } }),
    );
    expect(await cp.inflight.complete('spoilt', 'failed')).toMatchObject({
      completed: true,
      counted_for: null,
    });
    expect(await cp.inflight.complete('fine', 'refunded')).toMatchObject({
      completed: true,
      counted_for: 'u-bake',
    });
    expect(await cp.inflight.count()).toBe(0);
    expect((await cp.outcomes.totals('u-bake')).refunded).toBe(1);
  });

  it('complete is idempotent and counts never go negative', async () => {
    await cp.inflight.register({ id: 'i-1' });
    await cp.inflight.register({ id: 'i-2' });
    expect(await cp.inflight.count()).toBe(2);
    expect(await cp.inflight.complete('i-1')).toMatchObject({
      id: 'i-1',
      completed: true,
      outcome: 'settled',
    });
    expect(await cp.inflight.complete('i-1', 'failed')).toMatchObject({ id: 'i-1', completed: false });
    expect(await cp.inflight.complete('never-registered')).toMatchObject({
      id: 'never-registered',
      completed: false,
      counted_for: null,
    });
    expect(await cp.inflight.count()).toBe(1);
    await Promise.all(Array.from({ length: 10 }, () => cp.inflight.complete('i-2')));
    expect(await cp.inflight.count()).toBe(0);
    expect((await cp.drain.status()).inflight_count).toBe(0);
  });

  it('refuses a duplicate id while it is inflight, and accepts it again after completion', async () => {
    await cp.inflight.register({ id: 'dup' });
    await expect(cp.inflight.register({ id: 'dup' })).rejects.toBeInstanceOf(ConflictError);
    expect(await cp.inflight.count()).toBe(1);
    await cp.inflight.complete('dup');
    await cp.inflight.register({ id: 'dup' });
    expect(await cp.inflight.count()).toBe(1);
  });

  it('updates phase and lock flags, and 404s an unknown intent', async () => {
    await cp.inflight.register({ id: 'u-1', protocol_version: '1.0.0' });
    const updated = await cp.inflight.update('u-1', {
      phase: 'UserLocked',
      user_funds_locked: true,
      ibc_in_flight: true,
    });
    expect(updated).toMatchObject({ phase: 'UserLocked', user_funds_locked: true, ibc_in_flight: true });
    expect(await cp.inflight.get('u-1')).toMatchObject({ phase: 'UserLocked', user_funds_locked: true });
    await expect(cp.inflight.update('nope', { phase: 'X' })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('lists with filters and pagination, every intent exactly once', async () => {
    for (let n = 0; n < 25; n++) {
      await cp.inflight.register({
        id: `l-${n}`,
        phase: n % 2 ? 'Settling' : 'Pending',
        solver_funds_locked: n % 5 === 0,
      });
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await cp.inflight.list({ limit: 7, cursor });
      expect(page.intents.length).toBeLessThanOrEqual(7);
      seen.push(...page.intents.map((i) => i.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen.sort()).toEqual(Array.from({ length: 25 }, (_, n) => `l-${n}`).sort());
    const settling = await cp.inflight.list({ phase: 'Settling', limit: 100 });
    expect(settling.intents).toHaveLength(12);
    const locked = await cp.inflight.list({ locked: true, limit: 100 });
    expect(locked.intents.map((i) => i.id).sort()).toEqual(['l-0', 'l-10', 'l-15', 'l-20', 'l-5']);
    const lockedPaged = await cp.inflight.list({ locked: true, limit: 2 });
    expect(lockedPaged.intents).toHaveLength(2);
    expect(lockedPaged.nextCursor).not.toBeNull();
    const unlocked = await cp.inflight.list({ locked: false, limit: 100 });
    expect(unlocked.intents).toHaveLength(20);
  });

  it('reports the oldest inflight age, pending IBC packets and completions since the drain', async () => {
    await cp.inflight.register({ id: 'old', ibc_in_flight: true });
    await new Promise((r) => setTimeout(r, 1100));
    await cp.inflight.register({ id: 'new' });
    await cp.inflight.register({ id: 'ibc-2' });
    await cp.inflight.update('ibc-2', { ibc_in_flight: true });
    let s = await cp.drain.status();
    expect(s.oldest_inflight_age_secs).toBeGreaterThanOrEqual(1);
    expect(s.pending_ibc_packets).toBe(2);
    await cp.inflight.update('ibc-2', { ibc_in_flight: false });
    await cp.drain.startDrain(admin, 'test', 60);
    await cp.inflight.complete('old');
    s = await cp.drain.status();
    expect(s).toMatchObject({
      mode: 'Draining',
      inflight_count: 2,
      completed_since_drain: 1,
      pending_ibc_packets: 0,
    });
  });

  it('refuses registration unless the fence is open, with the reason and a retry interval', async () => {
    await cp.inflight.register({ id: 'keeps-it-draining' });
    await cp.drain.startDrain(admin, 'maintenance window', 600);
    const err = await cp.inflight.register({ id: 'late' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotAdmittingError);
    expect((err as NotAdmittingError).mode).toBe('Draining');
    expect((err as NotAdmittingError).message).toContain('maintenance window');
    expect((err as NotAdmittingError).retryAfterSecs).toBeGreaterThan(0);
    expect(await cp.inflight.count()).toBe(1);
    await cp.drain.cancel(admin);
    await cp.inflight.register({ id: 'late' });
    expect(await cp.inflight.count()).toBe(2);
  });
});

describe('force, resume and audit', () => {
  it('force is refused with locked funds, allowed with acknowledgement, and always audited', async () => {
    await cp.inflight.register({ id: 'locked', user_funds_locked: true });
    await cp.inflight.register({ id: 'free' });
    await cp.drain.startDrain(admin, 'upgrade', 60);
    const refused = await cp.drain.force(admin, false).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ConflictError);
    expect((refused as ConflictError).code).toBe('locked_funds');
    expect((refused as ConflictError).message).toContain('locked');
    expect((await cp.drain.status()).mode).toBe('Draining');
    const forced = await cp.drain.force(admin, true);
    expect(forced).toMatchObject({ mode: 'Drained', forced: true, inflight_count: 2 });
    const audit = await cp.audit.recent(10);
    const forces = audit.filter((a) => a.action === 'drain.force');
    expect(forces.map((a) => a.outcome)).toEqual(['succeeded', 'refused']);
    expect(forces[0]).toMatchObject({ actor: 'test-admin', params: { acknowledge_locked_funds: true } });
  });

  it('force without locked funds needs no acknowledgement', async () => {
    await cp.inflight.register({ id: 'free' });
    await cp.drain.startDrain(admin, 'upgrade', 60);
    expect((await cp.drain.force(admin, false)).mode).toBe('Drained');
  });

  it('resume reopens admission on the new version, which new intents then carry', async () => {
    await cp.drain.startDrain(admin, 'upgrade', 60);
    expect((await cp.drain.status()).mode).toBe('Drained');
    const resumed = await cp.drain.resume(admin, '2.0.0');
    expect(resumed).toMatchObject({ mode: 'Active', version: '2.0.0', admitting: true });
    const fresh = await freshCacheRegister(cp);
    expect(fresh.protocol_version).toBe('2.0.0');
  });

  it('illegal moves are refused with a message and audited as refused', async () => {
    const err = await cp.drain.cancel(admin).catch((e: unknown) => e);
    expect((err as Error).message).toContain('cannot cancel while mode is Active');
    const [last] = await cp.audit.recent(1);
    expect(last).toMatchObject({ action: 'drain.cancel', outcome: 'refused' });
  });

  it('two concurrent admin calls cannot both win', async () => {
    for (let round = 0; round < 10; round++) {
      const results = await Promise.allSettled([
        cp.drain.startDrain(admin, 'a', 60),
        cp.drain.startDrain(admin, 'b', 60),
        cp.drain.startDrain(admin, 'c', 60),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results) {
        if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(ConflictError);
      }
      await cp.drain.cancel(admin);
    }
  });

  it('repairs gates left behind by an interrupted mode change', async () => {
    const mode = await cp.fence.readMode();
    // Simulate a drain start that wrote the mode but crashed before closing any gate.
    const draining = {
      ...mode,
      mode: 'Draining' as const,
      rev: mode.rev + 1,
      fenceRev: mode.rev + 1,
      reason: 'crash',
      startedAt: Date.now(),
      deadline: Date.now() + 60_000,
      drainTimeoutSecs: 60,
    };
    await cp.fence.writeMode(draining, mode.rev, { kind: 'operator' });
    expect((await cp.fence.snapshot()).gates.every((g) => g.open)).toBe(true);
    const s = await cp.drain.status();
    expect(s.fence_closed).toBe(true);
    expect(s.mode).toBe('Drained');
    await expect(cp.inflight.register({ id: 'x' })).rejects.toBeInstanceOf(NotAdmittingError);
    // And the other way: a resume that reopened the mode but not the gates is repaired on the next registration.
    const drained = await cp.fence.readMode();
    await cp.fence.writeMode(
      { ...drained, mode: 'Active', rev: drained.rev + 1, fenceRev: drained.rev + 1 },
      drained.rev,
      { kind: 'operator' },
    );
    await cp.inflight.register({ id: 'y' });
    expect(await cp.inflight.count()).toBe(1);
  });
});

/** Registers after the version cache has expired (the service caches the running version for 10 s). */
async function freshCacheRegister(plane: ControlPlane) {
  (plane.inflight as unknown as { cachedVersion: null }).cachedVersion = null;
  return plane.inflight.register({ id: `after-resume-${Date.now()}` });
}
