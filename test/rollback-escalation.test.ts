import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSampleBackend } from '../local/sample-backend.ts';
import { startTestApi, type TestApi } from './support/api.ts';
import { runUpgrade } from './support/upgrade.ts';

/**
 * Failures escalate: a rollback that could not put a replica back never ends `rolled_back` with that replica on
 * the new version. It ends `needs_operator` with the fence held, naming the replica and where it stands.
 */
let api: TestApi;
let backend: Awaited<ReturnType<typeof startSampleBackend>>;
beforeAll(async () => {
  api = await startTestApi();
  // replica-1 deploys 2.0.0 fine but its hook never answers a deploy back to 1.0.0; replica-2 is unhealthy on 2.0.0.
  backend = await startSampleBackend({
    replicas: 2,
    version: '1.0.0',
    restartMs: 100,
    faults: { 'replica-1': 'hang_rollback', 'replica-2': 'unhealthy_after_deploy' },
  });
});
afterAll(async () => {
  api.engine.stopAll();
  await api.stop();
  await backend.stop();
});

describe('a replica whose rollback hook hangs', () => {
  it('ends needs_operator with the fence held, naming the replica still on the new version', async () => {
    expect((await api.intent('POST', '/intents', { id: 'kept' })).status).toBe(201);
    expect((await api.intent('POST', '/intents/kept/complete', {})).status).toBe(200);
    const run = await runUpgrade(api, {
      target_version: '2.0.0',
      reason: 'rollback hook hangs',
      deploy: {
        mode: 'hooks',
        targets: backend.targets,
        replica_timeout_secs: 2,
        request_timeout_secs: 1,
        retries: 0,
      },
    });
    expect(run.upgrade.state, JSON.stringify(run.upgrade.error)).toBe('needs_operator');
    expect(String(run.upgrade.error)).toMatch(/replica-1 may still run 2\.0\.0/);
    expect(String(run.upgrade.error)).toContain('POST /admin/drain/resume');
    const rollback = (run.upgrade.deployment as { rollback: { name: string; outcome: string }[] }).rollback;
    expect(rollback).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'replica-2', outcome: 'rolled_back' }),
        expect.objectContaining({ name: 'replica-1', outcome: 'rollback_failed' }),
      ]),
    );
    const replica1 = backend.targets.find((t) => t.name === 'replica-1');
    expect(((await (await fetch(replica1?.version_url ?? '')).json()) as { version: string }).version).toBe(
      '2.0.0',
    );
    // GET /admin/recovery/status (the guide's "wait for recovery to complete") names it and what it waits for.
    const recovery = (await api.admin('GET', '/admin/recovery/status')).body as {
      upgrade: { attempt: number; error: string };
    };
    expect(recovery.upgrade).toMatchObject({ upgrade_id: run.upgrade.id, state: 'needs_operator' });
    expect(recovery.upgrade.attempt).toBeGreaterThanOrEqual(1);
    expect(String(recovery.upgrade.error)).toMatch(/replica-1 may still run 2\.0\.0/);
    // Fenced: nothing admitted while a replica runs the new version beside the old.
    expect((await api.admin('GET', '/admin/drain/status')).body).toMatchObject({ admitting: false });
    expect((await api.intent('POST', '/intents', { id: 'not-now' })).status).toBe(503);
    expect(run.steps.find((s) => s.name === 'Resume on previous version')).toMatchObject({
      outcome: 'failed',
    });
  });
});
