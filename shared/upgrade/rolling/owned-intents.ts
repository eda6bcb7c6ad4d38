import type { InflightService } from '../../domain/inflight-service.ts';

/** A replica's own inflight intents: how many, how many with funds locked, and a few ids to name. */
export interface Owned {
  readonly count: number;
  readonly locked: number;
  readonly sample: readonly string[];
}

/** Counts the inflight intents `owner` holds (GET /admin/inflight?owner= pages through the same list). */
export async function ownedIntents(inflight: InflightService, owner: string): Promise<Owned> {
  let count = 0;
  let locked = 0;
  const sample: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await inflight.list({ owner, limit: 1000, cursor });
    for (const i of page.intents) {
      count++;
      if (i.user_funds_locked || i.solver_funds_locked) locked++;
      if (sample.length < 5) sample.push(i.id);
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return { count, locked, sample };
}
