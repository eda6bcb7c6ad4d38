import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestApi, type TestApi } from './support/api.ts';
import { metricsDuring } from './support/metrics.ts';
import { healthEndpoint, runUpgrade } from './support/upgrade.ts';

/**
 * Each alarm means one thing: UpgradeRollbacks (UpgradeRollbackOccurred) counts rollbacks only; a failed smoke
 * test and a refused unapproved execution raise metrics of their own. And the smoke test tests the new version:
 * a producer's refusal remembered from the drain is no answer about it.
 */
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  api.engine.stopAll();
  await api.stop();
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('upgrade metrics', () => {
  it('a refused unapproved execution raises UnapprovedExecutionRefused, not UpgradeRollbacks', async () => {
    const names = await metricsDuring(async () => {
      const { executionArn } = await api.engine.start('rogue-execution', {
        scheduled: false,
        upgrade_id: 'not-registered',
        from_version: '1.0.0',
        config: { target_version: '2.0.0', reason: 'rogue' },
        rollback_attempts: { count: 0 },
      });
      await api.engine.finished(executionArn);
    });
    expect(names).toContain('UnapprovedExecutionRefused');
    expect(names).not.toContain('UpgradeRollbacks');
  });

  it('a failed smoke test raises SmokeTestFailed, not UpgradeRollbacks; a rollback raises UpgradeRollbacks', async () => {
    const smoke = await metricsDuring(async () => {
      // The smoke intent is registered on the target version, which this (mistaken) request deprecates.
      const run = await runUpgrade(api, {
        target_version: '1.0.1',
        reason: 'deprecates its own version',
        deprecate_versions: ['1.0.1'],
      });
      expect(run.upgrade).toMatchObject({ state: 'succeeded' });
      expect(run.upgrade.deployment).toMatchObject({ smoke_test: { ok: false } });
    });
    expect(smoke).toContain('SmokeTestFailed');
    expect(smoke).not.toContain('UpgradeRollbacks');

    const backend = await healthEndpoint((_req, res) => {
      res.writeHead(503);
      res.end('{"status":"Unhealthy"}');
    });
    try {
      const rollback = await metricsDuring(async () => {
        await api.admin('POST', '/admin/drain/start', { reason: 'back to 1.0.0' });
        await api.admin('POST', '/admin/drain/resume', { version: '1.0.0' });
        const run = await runUpgrade(api, {
          target_version: '2.0.0',
          reason: 'post-check fails',
          post_checks: [{ name: 'backend', type: 'http', url: backend.url }],
        });
        expect(run.upgrade).toMatchObject({ state: 'rolled_back' });
      });
      expect(rollback).toContain('UpgradeRollbacks');
      expect(rollback).not.toContain('SmokeTestFailed');
    } finally {
      await backend.close();
    }
  });
});

describe('the smoke test after resume', () => {
  it('passes on a healthy upgrade with a producer registering all along (no remembered refusal decides it)', async () => {
    // As deployed: a refusal is repeated for a quarter second without asking DynamoDB (the tests' default turns it off).
    const deployed = await startTestApi({ VERSION_CACHE_MS: '10000' });
    try {
      await smokeUnderLoad(deployed);
    } finally {
      deployed.engine.stopAll();
      await deployed.stop();
    }
  });
});

async function smokeUnderLoad(api: TestApi): Promise<void> {
  for (const target of ['1.1.0', '2.0.0']) {
    let stop = false;
    let n = 0;
    const producer = (async () => {
      while (!stop) {
        const id = `smoke-race-${target}-${n++}`;
        if ((await api.intent('POST', '/intents', { id })).status === 201)
          await api.intent('POST', `/intents/${id}/complete`, {});
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    const run = await runUpgrade(api, { target_version: target, reason: 'smoke under load' });
    stop = true;
    await producer;
    expect(run.upgrade, JSON.stringify(run.upgrade.deployment)).toMatchObject({
      state: 'succeeded',
      deployment: { smoke_test: { ok: true } },
    });
  }
}
