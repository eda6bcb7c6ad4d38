import { describe, expect, it } from 'vitest';
import {
  ConflictError,
  IntentClient,
  NotAdmittingError,
  NotFoundError,
  NotInitialisedError,
} from '../client/index.ts';
import { loadConfig } from '../shared/config.ts';
import { admin, createTables, freshControlPlane, freshEnv } from './support/control-plane.ts';

/** The producer client's answers and refusals, on DynamoDB Local (the fence's races are in client-fence.test.ts). */
const clientFor = (config: Awaited<ReturnType<typeof freshControlPlane>>['config'], extra = {}) =>
  new IntentClient({
    tables: config.tables,
    endpoint: config.dynamoEndpoint as string,
    fenceClockSkewMs: config.fenceClockSkewMs,
    versionCacheMs: 0,
    requestTimeoutMs: config.dynamoRequestTimeoutMs,
    ...extra,
  });

describe('the producer client', () => {
  it("answers register, update and complete with the routes' bodies, and refuses with the domain errors", async () => {
    const { cp, config } = await freshControlPlane();
    const client = clientFor(config);
    const registered = await client.register({ id: 'order-1', phase: 'Pending', owner: 'relayer-1' });
    expect(registered).toMatchObject({
      id: 'order-1',
      phase: 'Pending',
      owner: 'relayer-1',
      protocol_version: '1.0.0',
      user_funds_locked: false,
      age_secs: 0,
    });
    expect(registered.created_at).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
    const again = await client.register({ id: 'order-1' }).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(ConflictError);
    expect((again as ConflictError).code).toBe('duplicate_intent');

    const updated = await client.update('order-1', { phase: 'Locked', user_funds_locked: true });
    expect(updated).toMatchObject({ id: 'order-1', phase: 'Locked', user_funds_locked: true });
    expect((await cp.inflight.get('order-1')).phase).toBe('Locked'); // the control plane sees the change
    await expect(client.update('order-9', { phase: 'Locked' })).rejects.toBeInstanceOf(NotFoundError);

    expect(await client.complete('order-1', 'failed')).toEqual({
      id: 'order-1',
      completed: true,
      outcome: 'failed',
      counted_for: null,
      message: 'intent order-1 completed (failed)',
    });
    expect((await client.complete('order-1')).completed).toBe(false);
    await expect(cp.inflight.get('order-1')).rejects.toThrow(/not inflight/);

    await cp.drain.startDrain(admin, 'maintenance', 60);
    const refused = await client.register({ id: 'order-2' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(NotAdmittingError);
    expect((refused as NotAdmittingError).retryAfterSecs).toBeGreaterThan(0);
    expect((refused as NotAdmittingError).message).toMatch(/maintenance/);
    expect(await cp.drain.status()).toMatchObject({ mode: 'Drained', inflight_count: 0 });
    client.close();
  });

  it("reads the fence's shard count from the mode record: a different one is refused, none yet is not_initialised", async () => {
    const bare = loadConfig(freshEnv());
    await createTables(bare);
    const early = clientFor(bare);
    await expect(early.register({ id: 'too-early' })).rejects.toBeInstanceOf(NotInitialisedError);
    early.close();

    const { config } = await freshControlPlane({ FENCE_SHARDS: '8' });
    const wrong = clientFor(config, { shardCount: 16 });
    await expect(wrong.register({ id: 'a' })).rejects.toThrow(/says 8 fence shards \(FENCE_SHARDS\)/);
    wrong.close();
    const right = clientFor(config, { shardCount: 8 });
    expect((await right.register({ id: 'a' })).id).toBe('a');
    right.close();
  });

  it('needs the tables', () => {
    expect(() => new IntentClient({})).toThrow(/needs `tables`/);
  });
});
