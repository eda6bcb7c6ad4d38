import { describe, expect, it } from 'vitest';
import { admin, freshControlPlane } from './support/control-plane.ts';

/**
 * The stamp of a new intent is decided by the gate it is admitted through, not by the service's cached idea of the
 * running version: the cache here lives for ten minutes, far longer than any test.
 */
describe('version stamps of new intents', () => {
  it('after a resume on 2.0.0 a new intent carries 2.0.0 although the cache still says 1.0.0', async () => {
    const { cp } = await freshControlPlane({ VERSION_CACHE_MS: '600000' });
    expect((await cp.inflight.register({ id: 'before' })).protocol_version).toBe('1.0.0');
    await cp.drain.startDrain(admin, 'upgrade', 60);
    await cp.drain.status(); // Drained: nothing inflight but 'before'
    await cp.inflight.complete('before');
    await cp.drain.status();
    await cp.drain.resume(admin, '2.0.0');
    const after = await cp.inflight.register({ id: 'after' });
    expect(after.protocol_version).toBe('2.0.0');
    expect((await cp.inflight.get('after')).protocol_version).toBe('2.0.0');
  });

  it('after a return to 1.0.0 (a rollback) a new intent carries 1.0.0 again', async () => {
    const { cp } = await freshControlPlane({ VERSION_CACHE_MS: '600000' });
    await cp.drain.startDrain(admin, 'to 2', 60);
    await cp.drain.status();
    await cp.drain.resume(admin, '2.0.0');
    expect((await cp.inflight.register({ id: 'on-2' })).protocol_version).toBe('2.0.0');
    await cp.inflight.complete('on-2');
    await cp.drain.startDrain(admin, 'back to 1', 60);
    await cp.drain.status();
    await cp.drain.resume(admin, '1.0.0');
    expect((await cp.inflight.register({ id: 'on-1' })).protocol_version).toBe('1.0.0');
  });

  it('a client-chosen protocol_version is kept, and still needs the gate open', async () => {
    const { cp } = await freshControlPlane({ VERSION_CACHE_MS: '600000' });
    await cp.drain.startDrain(admin, 'to 2', 60);
    await cp.drain.status();
    await cp.drain.resume(admin, '2.0.0');
    const old = await cp.inflight.register({ id: 'legacy', protocol_version: '1.1.0' });
    expect(old.protocol_version).toBe('1.1.0');
    const gates = (await cp.fence.snapshot()).gates;
    expect(gates.every((g) => g.open && g.version === '2.0.0')).toBe(true);
  });
});
