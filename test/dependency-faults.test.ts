import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { HEALTH_DEADLINE_MS } from '../lambdas/health.ts';
import { startTestApi, type TestApi } from './support/api.ts';
import { type FaultProxy, startFaultProxy } from './support/fault-proxy.ts';
import { runUpgrade } from './support/upgrade.ts';

/**
 * The stores misbehaving, through a proxy in front of the real local engines (not a mock: every other request
 * reaches the engine): a transient S3 InternalError in the checkpoint is retried and the upgrade succeeds; a
 * DynamoDB that stops answering makes /health say Unhealthy (503) within its deadline and the routes answer 503,
 * never hang or 500.
 */
const INTERNAL_ERROR =
  '<?xml version="1.0" encoding="UTF-8"?><Error><Code>InternalError</Code><Message>We encountered an internal error. Please try again.</Message></Error>';

/** The S3 client's attempts per request (shared/adapters/s3/s3-object-store.ts). */
const S3_ATTEMPTS = 3;

describe('a transient S3 InternalError during the checkpoint', () => {
  it.each([
    ['once: the SDK retries the request', 1],
    [
      'on every attempt the SDK makes: the step fails DependencyUnavailable and the Task retries it',
      S3_ATTEMPTS,
    ],
  ])('%s, and the upgrade succeeds', async (_name, times) => {
    const s3 = await startFaultProxy(inject('s3Endpoint'));
    const api = await startTestApi({ S3_ENDPOINT: s3.url });
    try {
      expect((await api.intent('POST', '/intents', { id: 'frozen', phase: 'UserLocked' })).status).toBe(201);
      // The first part of the checkpoint, and each of the SDK's attempts at it while `times` lasts.
      s3.fail(
        (req) => req.method === 'PUT' && /checkpoints\//.test(req.url ?? ''),
        { status: 500, body: INTERNAL_ERROR },
        times,
      );
      const run = await runUpgrade(api, {
        target_version: '2.0.0',
        reason: 's3 hiccup',
        drain_timeout_secs: 1,
        force_after_timeout: true,
      });
      expect(s3.injected).toBe(times);
      expect(run.upgrade, String(run.upgrade.error)).toMatchObject({ state: 'succeeded' });
      expect(run.upgrade.checkpoint_id).toBeTruthy();
      const attempts = run.steps.filter((s) => s.name === 'Checkpoint inflight state to S3');
      expect(attempts.map((s) => s.outcome)).toEqual(
        times < S3_ATTEMPTS ? ['succeeded'] : ['failed', 'succeeded'],
      );
      if (times >= S3_ATTEMPTS) expect(attempts[0]?.cause).toMatch(/InternalError/);
    } finally {
      api.engine.stopAll();
      await api.stop();
      await s3.close();
    }
  });
});

describe('DynamoDB stops answering', () => {
  let ddb: FaultProxy;
  /** The default request timeout (3 s, three attempts): without its own deadline /health would wait about 9 s. */
  let slow: TestApi;
  /** A 1 s request timeout, so a route's three attempts end within a few seconds. */
  let quick: TestApi;
  beforeAll(async () => {
    ddb = await startFaultProxy(inject('dynamoEndpoint'));
    slow = await startTestApi({ DYNAMODB_ENDPOINT: ddb.url });
    quick = await startTestApi({ DYNAMODB_ENDPOINT: ddb.url, DYNAMODB_REQUEST_TIMEOUT_MS: '1000' });
  });
  afterAll(async () => {
    ddb.resume();
    for (const api of [slow, quick]) {
      api.engine.stopAll();
      await api.stop();
    }
    await ddb.close();
  });

  it('/health answers 503 Unhealthy within its deadline, and a route answers 503 store_unavailable', async () => {
    expect((await slow.raw('GET', '/health')).status).toBe(200);
    ddb.pause();
    try {
      const t0 = Date.now();
      const health = await slow.raw('GET', '/health');
      const took = Date.now() - t0;
      expect(health.status).toBe(503);
      expect(health.body).toMatchObject({
        status: 'Unhealthy',
        checks: [{ name: 'dynamodb', status: 'Unhealthy' }],
      });
      expect(took).toBeLessThan(HEALTH_DEADLINE_MS + 1_500); // the deadline and a margin, not the store's 9 s
      const t1 = Date.now();
      const status = await quick.admin('GET', '/admin/drain/status');
      // Three attempts of 1 s each, with the SDK's backoff between them, and a margin.
      expect(Date.now() - t1).toBeLessThan(3 * 1_000 + 2_500);
      expect(status.status, status.text).toBe(503);
      expect(status.body).toMatchObject({ error: 'store_unavailable' });
      expect(status.headers.get('retry-after')).toBeTruthy();
    } finally {
      ddb.resume();
    }
    expect((await slow.raw('GET', '/health')).status).toBe(200);
  });
});
