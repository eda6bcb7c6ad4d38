import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestApi, type TestApi } from './support/api.ts';
import { type FaultProxy, startFaultProxy } from './support/fault-proxy.ts';
import { runUpgrade } from './support/upgrade.ts';

/**
 * The stores misbehaving, through a proxy in front of the real local engines: a transient S3 InternalError in the
 * checkpoint is retried and the upgrade succeeds; a DynamoDB that stops answering makes /health say Unhealthy
 * (503) within its deadline and the routes answer 503, never hang or 500.
 */
const INTERNAL_ERROR =
  '<?xml version="1.0" encoding="UTF-8"?><Error><Code>InternalError</Code><Message>We encountered an internal error. Please try again.</Message></Error>';

describe('a transient S3 InternalError during the checkpoint', () => {
  let s3: FaultProxy;
  let api: TestApi;
  beforeAll(async () => {
    s3 = await startFaultProxy(inject('s3Endpoint'));
    api = await startTestApi({ S3_ENDPOINT: s3.url });
  });
  afterAll(async () => {
    api.engine.stopAll();
    await api.stop();
    await s3.close();
  });

  it('is retried, and the upgrade succeeds', async () => {
    expect((await api.intent('POST', '/intents', { id: 'frozen', phase: 'UserLocked' })).status).toBe(201);
    s3.fail((req) => req.method === 'PUT' && /checkpoints\//.test(req.url ?? ''), {
      status: 500,
      body: INTERNAL_ERROR,
    });
    const run = await runUpgrade(api, {
      target_version: '2.0.0',
      reason: 's3 hiccup',
      drain_timeout_secs: 1,
      force_after_timeout: true,
    });
    expect(s3.injected).toBe(1);
    expect(run.upgrade, String(run.upgrade.error)).toMatchObject({ state: 'succeeded' });
    expect(run.upgrade.checkpoint_id).toBeTruthy();
  });
});

describe('DynamoDB stops answering', () => {
  let ddb: FaultProxy;
  let api: TestApi;
  beforeAll(async () => {
    ddb = await startFaultProxy(inject('dynamoEndpoint'));
    api = await startTestApi({ DYNAMODB_ENDPOINT: ddb.url, DYNAMODB_REQUEST_TIMEOUT_MS: '1000' });
  });
  afterAll(async () => {
    ddb.resume();
    api.engine.stopAll();
    await api.stop();
    await ddb.close();
  });

  it('/health answers 503 Unhealthy within its deadline, and a route answers 503', async () => {
    expect((await api.raw('GET', '/health')).status).toBe(200);
    ddb.pause();
    try {
      const t0 = Date.now();
      const health = await api.raw('GET', '/health');
      const took = Date.now() - t0;
      expect(health.status).toBe(503);
      expect(health.body).toMatchObject({ status: 'Unhealthy' });
      expect(took).toBeLessThan(4_500); // the health deadline (3 s) and some margin
      const t1 = Date.now();
      const status = await api.admin('GET', '/admin/drain/status');
      expect(Date.now() - t1).toBeLessThan(10_000); // 3 attempts of DYNAMODB_REQUEST_TIMEOUT_MS, with backoff
      expect(status.status, status.text).toBe(503);
      expect(status.body).toMatchObject({ error: 'store_unavailable' });
      expect(status.headers.get('retry-after')).toBeTruthy();
    } finally {
      ddb.resume();
    }
    expect((await api.raw('GET', '/health')).status).toBe(200);
  });
});
