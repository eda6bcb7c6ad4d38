import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support/api.ts';
import { healthEndpoint, intentItems, runUpgrade } from './support/upgrade.ts';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api.stop();
});

const s3 = () =>
  new S3Client({
    endpoint: api.env.config.s3Endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });

/** Overwrites one part of a checkpoint with other bytes, as bit rot or a bad write would. */
async function corrupt(checkpointId: string, part: string): Promise<void> {
  await s3().send(
    new PutObjectCommand({
      Bucket: 'ucp-test',
      Key: `checkpoints/${checkpointId}/${part}.jsonl.gz`,
      Body: Buffer.from('not gzip'),
    }),
  );
}

describe('checkpoints', () => {
  it('round-trips every record and validates hashes and counts', async () => {
    for (let n = 0; n < 30; n++)
      await api.intent('POST', '/intents', { id: `c-${n}`, ibc_in_flight: n % 10 === 0 });
    const manifest = await api.cp.upgrade.checkpoints.create({
      upgradeId: null,
      protocolVersion: '1.0.0',
      config: { a: 1 },
    });
    expect(manifest.record_counts).toMatchObject({ inflight_intents: 30, pending_ibc_packets: 3, config: 1 });
    expect((await api.cp.upgrade.checkpoints.validate(manifest.id)).valid).toBe(true);
    const listed = (await api.admin('GET', '/admin/checkpoints')).body.checkpoints as { id: string }[];
    expect(listed.map((c) => c.id)).toContain(manifest.id);
    const parts = (await api.cp.upgrade.checkpoints.readPart(manifest.id, 'inflight_intents')) as {
      id: string;
    }[];
    expect(parts.map((p) => p.id).sort()).toEqual((await intentItems()).map((i) => i.id).sort());
  });

  it('a corrupted part is detected and never restored from', async () => {
    const before = await intentItems();
    const manifest = await api.cp.upgrade.checkpoints.create({
      upgradeId: null,
      protocolVersion: '1.0.0',
      config: {},
    });
    // Change the live records, then corrupt the checkpoint: a restore must refuse, leaving the records as they are now.
    await api.intent('PATCH', '/intents/c-1', { phase: 'Changed' });
    const changed = await intentItems();
    await corrupt(manifest.id, 'inflight_intents');
    const check = await api.admin('GET', `/admin/checkpoints/${manifest.id}?validate=true`);
    expect(check.body.validation).toMatchObject({ valid: false });
    expect(JSON.stringify(check.body.validation)).toContain('inflight_intents');
    await expect(api.cp.upgrade.checkpoints.restore(manifest.id)).rejects.toMatchObject({
      code: 'checkpoint_invalid',
    });
    expect(await intentItems()).toEqual(changed);
    expect(changed).not.toEqual(before);
  });

  it('a rollback whose checkpoint is corrupted reverses the migrations instead, and says so', async () => {
    for (const i of await intentItems()) await api.intent('POST', `/intents/${i.id as string}/complete`);
    await api.intent('POST', '/intents', { id: 'keep-1', protocol_version: '1.0.0' });
    await api.intent('POST', '/intents', { id: 'keep-2', protocol_version: '1.1.0', phase: 'Settling' });
    const before = await intentItems();
    // The failing post-check corrupts the checkpoint first: the rollback then finds it invalid.
    const failing = await healthEndpoint(async (_req, res) => {
      const id = (await api.admin('GET', '/admin/upgrade/status')).body.checkpoint_id as string;
      await corrupt(id, 'inflight_intents');
      res.writeHead(500).end();
    });
    const run = await runUpgrade(api, {
      target_version: '2.0.0',
      reason: 'corrupt',
      drain_timeout_secs: 1,
      force_after_timeout: true,
      post_checks: [{ name: 'api', type: 'http', url: failing.url }],
    });
    await failing.close();
    expect(run.upgrade.state).toBe('rolled_back');
    const rollback = run.steps.find((s) => s.name === 'Roll back to checkpoint');
    expect(rollback?.detail).toMatchObject({ method: 'reverse_migrations', reversed: 2 });
    expect(String(rollback?.detail?.checkpoint_problem)).toContain('failed validation');
    expect(await intentItems()).toEqual(before);
  });
});
