import type { IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { ConflictError, IntentClient, NotAdmittingError } from '../client/index.ts';
import { ADMISSION_LEASE_MS } from '../shared/adapters/dynamodb/admission.ts';
import { admin, freshControlPlane } from './support/control-plane.ts';
import { type FaultProxy, startFaultProxy } from './support/fault-proxy.ts';
import { fenceRace } from './support/fence-race.ts';
import { producerClient } from './support/registrars.ts';

/**
 * The fence's promises when producers run it themselves through the producer client: the race of
 * test/support/fence-race.ts, and a registration stopped between its Put and its gate read (as fence-steps.test.ts), the
 * client's DynamoDB calls passing through a proxy in front of DynamoDB Local that holds or fails the gate read.
 */
describe('the admission fence through the producer client', () => {
  it('after Drained is reported no registration lands, and refused ones leave nothing (32 registrants, 50 rounds, one clock)', async () => {
    await fenceRace(producerClient, 50, '0');
  }, 300_000);

  it('the same with a 1 s clock skew allowance (5 rounds)', async () => {
    await fenceRace(producerClient, 5, '1000');
  }, 300_000);
});

/** The gate read: after a warm-up the client's versions are cached, so a registration's only GetItem is its gate's. */
const gateRead = (req: IncomingMessage) => req.headers['x-amz-target'] === 'DynamoDB_20120810.GetItem';
/** What a registrant that dies after its Put leaves: its gate read never answers (every retry fails too). */
const KILLED = {
  status: 500,
  body: '{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"registrant killed"}',
};

let proxy: FaultProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

async function throughProxy(extra: Record<string, string> = {}) {
  const { cp, config } = await freshControlPlane(extra);
  proxy = await startFaultProxy(config.dynamoEndpoint as string);
  const client = new IntentClient({
    tables: config.tables,
    endpoint: proxy.url,
    fenceClockSkewMs: config.fenceClockSkewMs,
    versionCacheMs: 60_000,
    requestTimeoutMs: 10_000,
  });
  await client.register({ id: 'warm' }); // reads the shard count and caches the versions
  await client.complete('warm');
  const listed = async () => (await cp.inflight.list({ limit: 100 })).intents.map((i) => i.id);
  return { cp, client, proxy, listed };
}

describe("a producer client's registration stopped between its Put and its gate read", () => {
  it('a drain started in between: the gate read refuses, nothing is left, and the drain ends Drained', async () => {
    const { cp, client, proxy } = await throughProxy();
    const held = proxy.hold(gateRead);
    const registering = client.register({ id: 'between' });
    await held.arrived; // the Put is acknowledged; the gate read waits
    const draining = await cp.drain.startDrain(admin, 'drain between the steps', 60);
    // Put before the close: it might have been admitted, so it is counted until its registrant decides.
    expect(draining).toMatchObject({ mode: 'Draining', inflight_count: 1 });
    held.release();
    await expect(registering).rejects.toBeInstanceOf(NotAdmittingError);
    expect(await cp.drain.status()).toMatchObject({ mode: 'Drained', inflight_count: 0 });
    await expect(cp.inflight.get('between')).rejects.toThrow(/not inflight/);
    client.close();
  });

  it('a registrant killed before the drain: its intent is counted and listed, and the retry finds it inflight', async () => {
    const { cp, client, proxy, listed } = await throughProxy();
    proxy.fail(gateRead, KILLED, 3);
    await expect(client.register({ id: 'orphan' })).rejects.toThrow(/registrant killed/);
    const draining = await cp.drain.startDrain(admin, 'drain with a dead registrant', 60);
    expect(draining).toMatchObject({ mode: 'Draining', inflight_count: 1 });
    expect(await listed()).toEqual(['orphan']);
    // The producer never got an answer and retries: it learns the intent is inflight (it may have been admitted).
    const retry = await client.register({ id: 'orphan' }).catch((e: unknown) => e);
    expect(retry).toBeInstanceOf(ConflictError);
    expect((retry as ConflictError).code).toBe('duplicate_intent');
    expect((await client.complete('orphan')).completed).toBe(true);
    expect(await cp.drain.status()).toMatchObject({ mode: 'Drained', inflight_count: 0 });
    client.close();
  });

  it('a registrant killed after the gates closed: never counted, refused on retry, removed before the gates reopen', async () => {
    const { cp, client, proxy, listed } = await throughProxy({ FENCE_CLOCK_SKEW_MS: '0' });
    await client.register({ id: 'keeper' });
    expect(await cp.drain.startDrain(admin, 'drain', 60)).toMatchObject({ inflight_count: 1 });
    await new Promise((r) => setTimeout(r, 5)); // created after the close stamp
    proxy.fail(gateRead, KILLED, 3);
    // Its cached versions still say Active: it Puts behind the closed gate, then dies before reading it.
    await expect(client.register({ id: 'ghost' })).rejects.toThrow(/registrant killed/);
    expect(await cp.drain.status()).toMatchObject({ mode: 'Draining', inflight_count: 1 });
    expect(await listed()).toEqual(['keeper']);
    await client.complete('keeper');
    expect(await cp.drain.status()).toMatchObject({ mode: 'Drained', inflight_count: 0 });
    await expect(client.register({ id: 'ghost' })).rejects.toBeInstanceOf(NotAdmittingError);
    // Resuming waits out the dead registrant's lease, then removes what it left, before the gates reopen.
    const started = Date.now();
    expect(await cp.drain.resume(admin, null)).toMatchObject({ mode: 'Active', inflight_count: 0 });
    expect(Date.now() - started).toBeLessThan(ADMISSION_LEASE_MS + 3000);
    await expect(cp.inflight.get('ghost')).rejects.toThrow(/not inflight/);
    expect(await listed()).toEqual([]);
    client.close();
  }, 30_000);
});
