import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { meterCapacity } from '../bench/capacity-meter.ts';
import { PACKET_INDEX, tableDefinitions } from '../shared/adapters/dynamodb/tables.ts';
import { loadConfig } from '../shared/config.ts';
import { buildCorePlane } from '../shared/core-plane.ts';
import { shardOf } from '../shared/domain/inflight.ts';
import { createTables, freshEnv } from './support/control-plane.ts';

// The sparse index of intents that carry IBC packets (shared/adapters/dynamodb/tables.ts), on DynamoDB Local:
// what is in it after each write path, how listings page over it, and an older table that lacks it.
async function core() {
  // The running version cached, as in production: a registration reads only its gate.
  const config = loadConfig(freshEnv({ VERSION_CACHE_MS: '10000' }));
  await createTables(config);
  const cp = buildCorePlane(config);
  await cp.init();
  /** The ids the index holds, read from the index itself. */
  const indexed = async () =>
    (
      await cp.db.send(new ScanCommand({ TableName: config.tables.intents, IndexName: PACKET_INDEX }))
    ).Items?.map((i) => String(i.id)).sort();
  return { cp, config, indexed };
}

const packet = (channel: string, sequence: number) => ({
  source_port: 'transfer',
  source_channel: channel,
  sequence,
  timeout_height: { revision_number: 1, revision_height: 9000 },
});

/** Every intent of the with-packets listing, page by page; fails if one comes twice. */
async function listAll(cp: Awaited<ReturnType<typeof core>>['cp'], limit: number, channel?: string) {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await cp.inflight.list({ with_packets: true, limit, cursor, channel });
    expect(page.intents.length).toBeLessThanOrEqual(limit);
    ids.push(...page.intents.map((i) => i.id));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  expect(new Set(ids).size).toBe(ids.length);
  return ids.sort();
}

describe('the packet index', () => {
  it('holds the intents with packets only, from registration until a PATCH clears them or they complete', async () => {
    const { cp, indexed } = await core();
    await cp.inflight.register({ id: 'warm' });
    const meter = meterCapacity(cp.db);
    await cp.inflight.register({ id: 'plain' });
    // Without packets, not in the index: the admission stays 1 WCU (the Put) + 1 RCU (the gate).
    expect(meter.totals).toMatchObject({ write: 1, read: 1 });
    meter.reset();
    await cp.inflight.register({ id: 'carrier', ibc_packets: [packet('channel-0', 1)] });
    // With packets, the index holds a copy: one more WCU (DynamoDB Local bills it as DynamoDB does).
    expect(meter.totals).toMatchObject({ write: 2, read: 1 });
    expect(await indexed()).toEqual(['carrier']);
    await cp.inflight.update('plain', { ibc_packets: [packet('channel-1', 2)] });
    expect(await indexed()).toEqual(['carrier', 'plain']);
    await cp.inflight.update('plain', { phase: 'Settling' }); // packets untouched: still indexed
    expect(await indexed()).toEqual(['carrier', 'plain']);
    await cp.inflight.update('plain', { ibc_packets: [] });
    expect(await indexed()).toEqual(['carrier']);
    await cp.inflight.complete('carrier');
    expect(await indexed()).toEqual([]);
  });

  it('pages across the shards with every intent once, with a channel filter too', async () => {
    const { cp, config } = await core();
    const ids = Array.from({ length: 30 }, (_, n) => `p-${n}`);
    for (const [n, id] of ids.entries())
      await cp.inflight.register({ id, ibc_packets: [packet(n % 3 ? 'channel-0' : 'channel-1', n + 1)] });
    for (let n = 0; n < 20; n++) await cp.inflight.register({ id: `none-${n}` });
    expect(new Set(ids.map((id) => shardOf(id, config.shardCount))).size).toBeGreaterThan(3);
    for (const limit of [1, 7, 30, 100]) expect(await listAll(cp, limit)).toEqual([...ids].sort());
    const onOne = ids.filter((_, n) => n % 3 === 0).sort();
    for (const limit of [1, 3, 100]) expect(await listAll(cp, limit, 'channel-1')).toEqual(onOne);
    await expect(cp.inflight.list({ with_packets: true, limit: 5, cursor: 'not-a-cursor' })).rejects.toThrow(
      /cursor/,
    );
  });

  it('is added to an older intents table that lacks it, with the intents with packets already stored', async () => {
    const config = loadConfig(freshEnv());
    const client = new DynamoDBClient({
      endpoint: config.dynamoEndpoint as string,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    // The intents table as versions before the index created it: no index, no ibc_shard attribute.
    const [, current] = tableDefinitions(config.tables);
    const { GlobalSecondaryIndexes: _, AttributeDefinitions = [], ...old } = current ?? { TableName: '' };
    await client.send(
      new CreateTableCommand({
        ...old,
        AttributeDefinitions: AttributeDefinitions.filter((a) => a.AttributeName !== 'ibc_shard'),
      }),
    );
    const now = Date.now();
    const stored = (id: string, packets: unknown[]) => ({
      shard: shardOf(id, config.shardCount),
      id,
      phase: 'Pending',
      user_funds_locked: false,
      solver_funds_locked: false,
      ibc_in_flight: packets.length > 0,
      protocol_version: '1.0.0',
      created_at: now,
      updated_at: now,
      ...(packets.length ? { ibc_packets: packets, ibc_channels: ['channel-0'] } : {}),
    });
    const doc = DynamoDBDocumentClient.from(client);
    await doc.send(
      new PutCommand({ TableName: config.tables.intents, Item: stored('old-ibc', [packet('channel-0', 4)]) }),
    );
    await doc.send(new PutCommand({ TableName: config.tables.intents, Item: stored('old-plain', []) }));
    client.destroy();
    await createTables(config); // as a start on an older data folder does
    const cp = buildCorePlane(config);
    await cp.init();
    expect((await cp.inflight.list({ with_packets: true, limit: 10 })).intents.map((i) => i.id)).toEqual([
      'old-ibc',
    ]);
    await createTables(config); // a second start changes nothing
    expect((await cp.inflight.list({ limit: 10 })).intents.map((i) => i.id).sort()).toEqual([
      'old-ibc',
      'old-plain',
    ]);
  });
});
