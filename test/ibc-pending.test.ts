import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support/api.ts';

// IBC packets as data on the intent API: registered and replaced with their intents, counted by the drain status,
// listed by GET /admin/ibc/pending (DynamoDB Local behind the API).
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api.stop();
});

const ns = (msFromNow: number) => String(BigInt(Date.now() + msFromNow) * 1_000_000n);
const packet = (channel: string, sequence: number, timeoutMs: number | null) => ({
  source_port: 'transfer',
  source_channel: channel,
  sequence,
  destination_chain: 'osmosis-1',
  ...(timeoutMs === null
    ? { timeout_height: { revision_number: 1, revision_height: 9000 } }
    : { timeout_timestamp: ns(timeoutMs) }),
});
type Packet = Record<string, unknown> & { time_left_secs: number | null; age_secs: number };
const pending = async (query = '') =>
  (await api.admin('GET', `/admin/ibc/pending${query}`)).body as {
    packets: Packet[];
    next_cursor: string | null;
  };

describe('IBC packets of inflight intents', () => {
  it('are registered with their intent, counted by the drain status, and listed nearest timeout first', async () => {
    const a = await api.intent('POST', '/intents', {
      id: 'ibc-a',
      ibc_packets: [packet('channel-0', 7, 20 * 60_000), packet('channel-1', 3, null)],
    });
    expect(a.status, a.text).toBe(201);
    expect(a.body).toMatchObject({ ibc_in_flight: true, ibc_packets: [{ sequence: 7 }, { sequence: 3 }] });
    expect(
      (
        await api.intent('POST', '/intents', {
          id: 'ibc-b',
          ibc_packets: [packet('channel-0', 8, 5 * 60_000)],
        })
      ).status,
    ).toBe(201);
    // Only flagged, without its packets: counted as one, not listed.
    expect((await api.intent('POST', '/intents', { id: 'ibc-c', ibc_in_flight: true })).status).toBe(201);
    const drain = (await api.admin('GET', '/admin/drain/status')).body;
    expect(drain.pending_ibc_packets).toBe(4);
    expect(drain.nearest_ibc_timeout_secs).toBeGreaterThan(4 * 60 - 5);
    expect(drain.nearest_ibc_timeout_secs).toBeLessThanOrEqual(5 * 60);
    const all = await pending();
    expect(
      all.packets.map((p: Record<string, unknown>) => [p.intent_id, p.source_channel, p.sequence]),
    ).toEqual([
      ['ibc-b', 'channel-0', 8],
      ['ibc-a', 'channel-0', 7],
      ['ibc-a', 'channel-1', 3],
    ]);
    expect(all.packets[2]).toMatchObject({
      timeout_at: null,
      time_left_secs: null,
      destination_chain: 'osmosis-1',
    });
    expect(all.packets[0]?.time_left_secs).toBeGreaterThan(4 * 60 - 5);
    expect(typeof all.packets[0]?.age_secs).toBe('number');
    const one = await pending('?channel=channel-1');
    expect(one.packets.map((p: Record<string, unknown>) => p.intent_id)).toEqual(['ibc-a']);
    // The checkpoint holds each packet (and the flagged intent as one entry without a sequence).
    const cp = api.cp.upgrade.checkpoints;
    const manifest = await cp.create({
      upgradeId: null,
      protocolVersion: '1.0.0',
      config: {},
      extraSources: [],
    });
    const part = (await cp.readPart(manifest.id, 'pending_ibc_packets')) as Record<string, unknown>[];
    expect(part.map((p) => `${p.intent_id} ${p.source_channel ?? '-'}/${p.sequence ?? '-'}`).sort()).toEqual([
      'ibc-a channel-0/7',
      'ibc-a channel-1/3',
      'ibc-b channel-0/8',
      'ibc-c -/-',
    ]);
  });

  it('pages like /admin/inflight, with every packet once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await pending(`?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      for (const p of page.packets as Record<string, unknown>[])
        seen.push(`${p.source_channel}/${p.sequence}`);
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen.sort()).toEqual(['channel-0/7', 'channel-0/8', 'channel-1/3']);
  });

  it('are replaced by a PATCH; [] clears them and the intent is no longer in IBC', async () => {
    const moved = await api.intent('PATCH', '/intents/ibc-b', {
      ibc_packets: [packet('channel-2', 1, 60_000)],
    });
    expect(moved.status, moved.text).toBe(200);
    expect((await pending('?channel=channel-2')).packets).toHaveLength(1);
    expect(
      (await pending('?channel=channel-0')).packets.map((p: Record<string, unknown>) => p.sequence),
    ).toEqual([7]);
    const cleared = await api.intent('PATCH', '/intents/ibc-b', { ibc_packets: [] });
    expect(cleared.body).toMatchObject({ ibc_in_flight: false });
    expect(cleared.body.ibc_packets).toBeUndefined();
    expect((await pending('?channel=channel-2')).packets).toEqual([]);
  });

  it('refuses bad packets and bad queries with a 400 that says what to fix, changing nothing', async () => {
    const before = await pending();
    const bad: [string, unknown, RegExp][] = [
      [
        'twice',
        [packet('channel-0', 9, 1000), packet('channel-0', 9, 2000)],
        /packet transfer\/channel-0\/9 twice/,
      ],
      [
        'bad channel',
        [{ ...packet('channel-0', 1, 1000), source_channel: 'chan0' }],
        /source_channel.*channel id/,
      ],
      ['no sequence', [{ source_port: 'transfer', source_channel: 'channel-0' }], /sequence/],
      ['bad timeout', [{ ...packet('channel-0', 1, 1000), timeout_timestamp: '-1' }], /timeout_timestamp/],
      ['too many', Array.from({ length: 17 }, (_, i) => packet('channel-0', i + 1, 1000)), /ibc_packets/],
    ];
    for (const [label, packets, message] of bad) {
      const r = await api.intent('POST', '/intents', {
        id: `bad-${label.replace(/ /g, '-')}`,
        ibc_packets: packets,
      });
      expect(r.status, label).toBe(400);
      expect(String(r.body.message), label).toMatch(message);
    }
    for (const query of ['?channel=foo', '?limit=0', '?limit=abc', '?sequence=1']) {
      const r = await api.admin('GET', `/admin/ibc/pending${query}`);
      expect(r.status, query).toBe(400);
      expect(r.body.error, query).toBeTruthy();
    }
    expect(await pending()).toEqual(before);
  });
});
