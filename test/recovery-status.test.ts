import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support/api.ts';

// GET /admin/recovery/status: intents the producers mark as in recovery, and the control plane's own recovery.
let api: TestApi;
type Recovery = {
  upgrade: unknown;
  intents: {
    items: { id: string; protocol_version: string; age_secs: number }[];
    next_cursor: string | null;
  };
};
const recovery = async (q = '') => (await api.admin('GET', `/admin/recovery/status${q}`)).body as Recovery;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api.stop();
});

describe('the recovery status', () => {
  it('lists intents whose phase says recovery, with their age, paged; and no upgrade when none recovers', async () => {
    for (const [id, phase] of [
      ['r-1', 'Recovering'],
      ['r-2', 'RecoveryPending'],
      ['ok-1', 'Settling'],
    ])
      expect((await api.intent('POST', '/intents', { id, phase })).status).toBe(201);
    const all = await recovery();
    expect(all.upgrade).toBeNull();
    expect(all.intents.items.map((i) => i.id).sort()).toEqual(['r-1', 'r-2']);
    expect(all.intents.items[0]).toMatchObject({ protocol_version: '1.0.0' });
    expect(typeof all.intents.items[0]?.age_secs).toBe('number');
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = `?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = await recovery(q);
      seen.push(...page.intents.items.map((i) => i.id));
      cursor = page.intents.next_cursor;
    } while (cursor);
    expect(seen.sort()).toEqual(['r-1', 'r-2']);
    // Leaving recovery leaves the list.
    expect((await api.intent('PATCH', '/intents/r-1', { phase: 'Settling' })).status).toBe(200);
    const after = await recovery();
    expect(after.intents.items.map((i) => i.id)).toEqual(['r-2']);
  });

  it('refuses bad queries with a 400 that names the field', async () => {
    for (const query of ['?limit=0', '?limit=x', '?phase=Recovering', '?cursor=']) {
      const r = await api.admin('GET', `/admin/recovery/status${query}`);
      expect(r.status, query).toBe(400);
      expect(r.body.error, query).toBeTruthy();
    }
  });
});
