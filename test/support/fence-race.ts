import { expect } from 'vitest';
import { admin, freshControlPlane } from './control-plane.ts';
import type { Registrar, RegistrarFactory } from './registrars.ts';

type Plane = Pick<Awaited<ReturnType<typeof freshControlPlane>>['cp'], 'drain' | 'inflight'>;

/** Lists every inflight intent by following the cursor. */
export async function listAll(cp: Plane): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await cp.inflight.list({ limit: 100, cursor });
    ids.push(...page.intents.map((i) => i.id));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return ids;
}

/**
 * 32 registrants, registering the way `registrar` does, race start-drain `rounds` times. The clocks of registrants
 * and status calls are one clock here, so FENCE_CLOCK_SKEW_MS 0 is exact; with the default 1000 ms allowance,
 * refused registrations of the first second after the close are counted until their registrants remove them, so
 * Drained comes about a second later.
 */
export async function fenceRace(registrar: RegistrarFactory, rounds: number, skewMs: string): Promise<void> {
  const { cp, config } = await freshControlPlane({ FENCE_CLOCK_SKEW_MS: skewMs });
  const way = registrar({ cp, config });
  try {
    await raceRounds(cp, way, rounds);
  } finally {
    await way.close();
  }
}

/**
 * The race itself, on a control plane that admits intents: `rounds` times, 32 registrants register through `way`
 * while the drain starts, and nothing may land after Drained nor be left by a refusal. Ids carry `tag`, so several
 * ways can race on one control plane in turn.
 */
export async function raceRounds(cp: Plane, way: Registrar, rounds: number, tag = ''): Promise<void> {
  let admittedTotal = 0;
  const admitted = new Set<string>();
  let refusedTotal = 0;
  for (let round = 0; round < rounds; round++) {
    let stop = false;
    let drainedSeen = false;
    const landedAfterDrained: string[] = [];
    // Before Drained is seen, each registrant completes what it registered (so the drain can finish). After,
    // it completes nothing: any registration that succeeds then must have committed after the Drained snapshot,
    // because one committed earlier would still be counted (its registrant had not completed it) and the
    // snapshot could not have read zero.
    const registrant = async (r: number) => {
      for (let n = 0; !stop; n++) {
        const id = `r${round}-w${r}-${n}${tag}`;
        if ((await way.register(id)) === 'admitted') {
          admittedTotal++;
          admitted.add(id);
          if (drainedSeen) landedAfterDrained.push(id);
          else await way.complete(id);
        } else {
          refusedTotal++;
          await new Promise((r) => setTimeout(r, 1));
        }
      }
    };
    const workers = Array.from({ length: 32 }, (_, r) => registrant(r));
    await new Promise((r) => setTimeout(r, 5 + (round % 5) * 3));
    await cp.drain.startDrain(admin, `round ${round}`, 60);
    // Poll until Drained; then freeze what we saw and keep the registrants hammering for a moment.
    for (let i = 0; ; i++) {
      const s = await cp.drain.status();
      if (s.mode === 'Drained') {
        drainedSeen = true;
        expect(s.inflight_count).toBe(0);
        break;
      }
      if (i > 2000) throw new Error('drain did not finish');
      await new Promise((r) => setTimeout(r, 2));
    }
    await new Promise((r) => setTimeout(r, 20));
    // While registrants still hammer the closed fence, what is counted is what is listed, and none of it was
    // admitted: a registration in flight (Put done, gate not yet read) that its registrant is about to refuse.
    const after = await cp.drain.status();
    expect(after.mode).toBe('Drained');
    const listed = await listAll(cp);
    expect(listed.filter((id) => admitted.has(id))).toEqual([]);
    stop = true;
    await Promise.all(workers);
    expect(landedAfterDrained).toEqual([]);
    // Once every registrant has answered, nothing is left: refused registrations leave nothing behind.
    const final = await cp.drain.status();
    expect(final.inflight_count).toBe(0);
    expect(await listAll(cp)).toEqual([]);
    await cp.drain.resume(admin, null);
  }
  expect(admittedTotal).toBeGreaterThan(0);
  expect(refusedTotal).toBeGreaterThan(0);
}
