import type { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoCheckpointIndex } from '../shared/adapters/dynamodb/checkpoint-index.ts';
import { makeDocumentClient } from '../shared/adapters/dynamodb/client.ts';
import { S3ObjectStore } from '../shared/adapters/s3/s3-object-store.ts';
import { CheckpointService } from '../shared/checkpoint/checkpoint-service.ts';
import type { CheckpointManifest } from '../shared/checkpoint/manifest.ts';
import type { ObjectStore } from '../shared/checkpoint/object-store.ts';
import { systemClock } from '../shared/domain/ports.ts';
import { startTestApi, type TestApi } from './support/api.ts';
import { healthEndpoint, intentItems, runUpgrade } from './support/upgrade.ts';

// A checkpoint damaged anywhere (a flipped byte in any part, a truncated or deleted part) is reported as invalid,
// naming the part, and never crashes the process; a rollback over it reverses the migrations instead.

const BUCKET = 'ucp-test';
let api: TestApi;
let manifest: CheckpointManifest;
/** Every object of the checkpoint as written: part name (or `manifest`) → key and bytes. */
const original = new Map<string, { key: string; bytes: Buffer }>();
/** Anything that reached the process unhandled while a test ran. */
const escaped: unknown[] = [];
const record = (e: unknown) => escaped.push(e);

const s3 = new S3Client({
  endpoint: inject('s3Endpoint'),
  region: 'us-east-1',
  forcePathStyle: true,
  credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
});
const put = (key: string, body: Buffer) =>
  s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
const get = async (key: string) => {
  const out = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return Buffer.from(
    await (out.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
  );
};
/** A copy of `bytes` with the bits of `mask` flipped at `pos`. */
const flip = (bytes: Buffer, pos: number, mask: number) => {
  const out = Buffer.from(bytes);
  out[pos] = (out[pos] as number) ^ mask;
  return out;
};
const settlement = (n: number) => ({ id: `settle-${n}`, amount: String(1000 + n), state: 'Locked' });

beforeAll(async () => {
  process.on('uncaughtException', record);
  process.on('unhandledRejection', record);
  api = await startTestApi();
  for (let n = 0; n < 40; n++)
    await api.intent('POST', '/intents', { id: `cc-${n}`, ibc_in_flight: n % 4 === 0 });
  manifest = await api.cp.upgrade.checkpoints.create({
    upgradeId: null,
    protocolVersion: '1.0.0',
    config: { upgrade: { target_version: '2.0.0' }, mode: 'Drained' },
    extraSources: [
      {
        name: 'contract',
        records: () => listOf([{ address: 'wasm1contract', code_id: 1, version: '1.0.0' }]),
      },
      {
        name: 'contract_inflight_settlements',
        records: () => listOf(Array.from({ length: 12 }, (_, n) => settlement(n))),
      },
    ],
  });
  for (const p of manifest.parts) original.set(p.name, { key: p.key, bytes: await get(p.key) });
  const manifestKey = `checkpoints/${manifest.id}/manifest.json`;
  original.set('manifest', { key: manifestKey, bytes: await get(manifestKey) });
});
afterEach(async () => {
  for (const o of original.values()) await put(o.key, o.bytes); // the next test starts from an intact checkpoint
  expect(escaped).toEqual([]);
});
afterAll(async () => {
  process.off('uncaughtException', record);
  process.off('unhandledRejection', record);
  await api.stop();
});

async function* listOf<T>(items: readonly T[]): AsyncIterable<T> {
  yield* items;
}

/** The first 10 bytes (gzip's header), 8 spread through the middle, the last 8 (gzip's CRC-32 and length). */
function positions(length: number): number[] {
  const header = Array.from({ length: 10 }, (_, i) => i);
  const trailer = Array.from({ length: 8 }, (_, i) => length - 8 + i);
  const middle = Array.from({ length: 8 }, (_, i) => 10 + Math.floor(((i + 1) * (length - 18)) / 9));
  return [...new Set([...header, ...middle, ...trailer])];
}

/** How a problem about `name` starts in the validation's list. */
const prefixOf = (name: string) => (name === 'manifest' ? 'manifest:' : `part ${name}:`);

async function expectInvalidNaming(name: string, what: string) {
  const check = await api.cp.upgrade.checkpoints.validate(manifest.id);
  expect(check.valid, `${what}: ${check.problems.join('; ')}`).toBe(false);
  expect(
    check.problems.some((p) => p.startsWith(prefixOf(name))),
    `${what}: ${check.problems.join('; ')}`,
  ).toBe(true);
  return check;
}

const PARTS = [
  'inflight_intents',
  'pending_ibc_packets',
  'config',
  'contract',
  'contract_inflight_settlements',
  'manifest',
];

describe('a corrupt checkpoint', () => {
  it('has every part type this test damages, and validates while intact', async () => {
    expect([...original.keys()].sort()).toEqual([...PARTS].sort());
    expect((await api.cp.upgrade.checkpoints.validate(manifest.id)).valid).toBe(true);
  });

  for (const name of PARTS) {
    it(`${name}: a byte flipped in the header, the middle or the trailer is reported, naming the part`, async () => {
      const { key, bytes } = original.get(name) as { key: string; bytes: Buffer };
      const at = positions(bytes.length);
      expect(at.length).toBeGreaterThanOrEqual(20);
      for (const pos of at) {
        const flipped = flip(bytes, pos, 1 << (pos % 8));
        await put(key, flipped);
        await expectInvalidNaming(name, `${name} byte ${pos} of ${bytes.length}`);
      }
      await put(key, bytes);
      expect((await api.cp.upgrade.checkpoints.validate(manifest.id)).valid).toBe(true);
    });

    it(`${name}: truncated (empty, half, one byte short) or deleted is reported, naming the part`, async () => {
      const { key, bytes } = original.get(name) as { key: string; bytes: Buffer };
      for (const length of [0, Math.floor(bytes.length / 2), bytes.length - 1]) {
        await put(key, bytes.subarray(0, length));
        await expectInvalidNaming(name, `${name} cut to ${length} of ${bytes.length} bytes`);
      }
      await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key }));
      const check = await expectInvalidNaming(name, `${name} deleted`);
      expect(check.problems.join('; ')).toMatch(/unreadable \(no object/);
    });
  }

  it('a byte flipped mid-part says why: corrupt gzip or a line that is not JSON, or a hash that differs', async () => {
    const { key, bytes } = original.get('inflight_intents') as { key: string; bytes: Buffer };
    const flipped = flip(bytes, Math.floor(bytes.length / 2), 0xff);
    await put(key, flipped);
    const check = await expectInvalidNaming('inflight_intents', 'mid-part flip');
    expect(check.problems.join('; ')).toMatch(
      /part inflight_intents: (corrupt \((gzip: .+|line \d+ is not JSON)\)|sha256 differs)/,
    );
  });

  it('GET /admin/checkpoints/{id}?validate=true answers 200 with valid:false naming the part', async () => {
    for (const name of ['inflight_intents', 'manifest']) {
      const { key, bytes } = original.get(name) as { key: string; bytes: Buffer };
      const flipped = flip(bytes, Math.floor(bytes.length / 2), 0x20);
      await put(key, flipped);
      const res = await api.admin('GET', `/admin/checkpoints/${manifest.id}?validate=true`);
      expect(res.status, res.text).toBe(200);
      const validation = res.body.validation as { valid: boolean; problems: string[] };
      expect(validation.valid).toBe(false);
      expect(
        validation.problems.some((p) => p.startsWith(prefixOf(name))),
        res.text,
      ).toBe(true);
      await put(key, bytes);
    }
  });

  it('a restore refuses it and writes nothing', async () => {
    const { key, bytes } = original.get('inflight_intents') as { key: string; bytes: Buffer };
    await api.intent('PATCH', '/intents/cc-1', { phase: 'Changed' });
    const now = await intentItems();
    const flipped = flip(bytes, Math.floor(bytes.length / 2), 0x04);
    await put(key, flipped);
    await expect(api.cp.upgrade.checkpoints.restore(manifest.id)).rejects.toMatchObject({
      code: 'checkpoint_invalid',
    });
    expect(await intentItems()).toEqual(now);
  });

  for (const damage of ['flipped', 'deleted'] as const) {
    it(`a part ${damage} after validation, before the restore reads it, is refused before any record is written`, async () => {
      const { key, bytes } = original.get('inflight_intents') as { key: string; bytes: Buffer };
      let reads = 0;
      // The real store, except that the second read of the intents part (the restore's) finds it damaged in S3.
      const service = serviceOver(realStore(), async (k) => {
        if (k !== key || ++reads !== 2) return;
        if (damage === 'flipped') await put(key, flip(bytes, Math.floor(bytes.length * 0.6), 0x10));
        else await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key }));
      });
      await api.intent('PATCH', '/intents/cc-2', { phase: `Changed-${damage}` });
      const now = await intentItems();
      await expect(service.restore(manifest.id)).rejects.toMatchObject({
        code: 'checkpoint_invalid',
        message: expect.stringContaining('inflight_intents changed after validation'),
      });
      expect(reads).toBe(2);
      expect(await intentItems()).toEqual(now);
      // Intact, the same service restores every record.
      await put(key, bytes);
      expect(await service.restore(manifest.id)).toMatchObject({ restored: 40, gone: 0 });
    });
  }

  it('a restore of a checkpoint the index does not know is refused as invalid (so a rollback reverses instead)', async () => {
    await expect(api.cp.upgrade.checkpoints.restore('ckpt-20260101T000000-000000')).rejects.toMatchObject({
      code: 'checkpoint_invalid',
    });
  });

  it('a checkpoint whose upload fails rejects, and leaves no stream behind to fail later', async () => {
    const service = serviceOver(
      new S3ObjectStore({ bucket: 'no-such-bucket', endpoint: inject('s3Endpoint') }),
    );
    await expect(service.create({ upgradeId: null, protocolVersion: '1.0.0', config: {} })).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 200)); // anything left dangling would fail now
  });
});

/** The checkpoint service of the test's tables over `objects`; `beforeGet` runs before each read. */
function serviceOver(objects: ObjectStore, beforeGet?: (key: string) => Promise<void>) {
  const { config } = api.env;
  return new CheckpointService({
    objects: {
      put: (k, b, t) => objects.put(k, b, t),
      ping: () => objects.ping(),
      async get(k: string): Promise<Readable> {
        await beforeGet?.(k);
        return objects.get(k);
      },
    },
    index: new DynamoCheckpointIndex(
      makeDocumentClient({ endpoint: config.dynamoEndpoint }),
      config.tables.control,
    ),
    records: api.cp.upgrade.records,
    sources: [],
    clock: systemClock,
    retentionDays: 1,
  });
}

const realStore = () => new S3ObjectStore({ bucket: BUCKET, endpoint: inject('s3Endpoint') });

describe('a rollback over a checkpoint with a byte flipped mid-part', () => {
  it('reverses the migrations instead and ends rolled back with every intent on the old version', async () => {
    for (const i of await intentItems()) await api.intent('POST', `/intents/${i.id as string}/complete`);
    for (let n = 0; n < 20; n++)
      await api.intent('POST', '/intents', { id: `rb-${n}`, ibc_in_flight: n % 5 === 0 });
    const before = await intentItems();
    expect(before.every((i) => i.protocol_version === '1.0.0')).toBe(true);
    // The failing post-check flips one byte in the middle of the intents part: the rollback then finds it corrupt.
    const failing = await healthEndpoint(async (_req, res) => {
      const id = (await api.admin('GET', '/admin/upgrade/status')).body.checkpoint_id as string;
      const k = `checkpoints/${id}/inflight_intents.jsonl.gz`;
      const bytes = await get(k);
      await put(k, flip(bytes, Math.floor(bytes.length / 2), 0x08));
      res.writeHead(500).end();
    });
    const run = await runUpgrade(api, {
      target_version: '2.0.0',
      reason: 'corrupt mid-part',
      drain_timeout_secs: 1,
      force_after_timeout: true,
      post_checks: [{ name: 'api', type: 'http', url: failing.url }],
    });
    await failing.close();
    expect(run.upgrade.state).toBe('rolled_back');
    const rollback = run.steps.find((s) => s.name === 'Roll back to checkpoint');
    expect(rollback?.detail).toMatchObject({ method: 'reverse_migrations', reversed: before.length });
    expect(String(rollback?.detail?.checkpoint_problem)).toMatch(/part inflight_intents: (corrupt|sha256)/);
    const after = await intentItems();
    expect(after.every((i) => i.protocol_version === '1.0.0')).toBe(true);
    expect(after).toEqual(before);
    expect(await api.cp.fence.readMode()).toMatchObject({ mode: 'Active', version: '1.0.0' });
  });
});
