import { afterEach, describe, expect, it } from 'vitest';
import { startSampleBackend } from '../local/sample-backend.ts';
import { startTestApi, type TestApi } from './support/api.ts';
import { eventually, runUpgrade } from './support/upgrade.ts';

let api: TestApi | undefined;
let backend: Awaited<ReturnType<typeof startSampleBackend>> | undefined;
afterEach(async () => {
  await api?.stop();
  await backend?.stop();
  api = undefined;
  backend = undefined;
});

const hooks = (targets: unknown, extra: Record<string, unknown> = {}) => ({
  mode: 'hooks',
  targets,
  replica_timeout_secs: 5,
  request_timeout_secs: 2,
  retries: 0,
  ...extra,
});
const status = async () => (await api?.admin('GET', '/admin/drain/status'))?.body ?? {};
const waitingFor = async (t: TestApi) =>
  eventually(
    async () => (await t.admin('GET', '/admin/upgrade/status')).body.current_step === 'Waiting for deploy',
  );

describe('manual deploy', () => {
  it('waits for the operator, then continues to the post-checks and resumes', async () => {
    api = await startTestApi();
    const t = api;
    const run = await runUpgrade(
      t,
      {
        target_version: '2.0.0',
        reason: 'manual',
        deploy: { mode: 'manual', deploy_timeout_secs: 60, instructions: 'kubectl rollout' },
      },
      async () => {
        await waitingFor(t);
        const s = (await t.admin('GET', '/admin/upgrade/status')).body;
        expect(s.state).toBe('running');
        const upgradeId = s.upgrade_id as string;
        expect((await t.admin('GET', `/admin/upgrades/${upgradeId}`)).body.upgrade).toMatchObject({
          result: { waiting_for: 'deploy' },
        });
        const ok = await t.admin('POST', `/admin/upgrade/${upgradeId}/continue`);
        expect(ok.status, JSON.stringify(ok.body)).toBe(200);
        expect((await t.admin('POST', `/admin/upgrade/${upgradeId}/continue`)).status).toBe(409);
      },
    );
    expect(run.execution.status).toBe('SUCCEEDED');
    expect(run.upgrade.deployment).toMatchObject({
      manual_started: ['backend'],
      continued_by: 'admin-token',
      smoke_test: { ok: true },
    });
    expect(await status()).toMatchObject({ mode: 'Active', version: '2.0.0' });
  });

  it('abort while waiting rolls back and resumes the old version', async () => {
    api = await startTestApi();
    const t = api;
    const run = await runUpgrade(
      t,
      { target_version: '2.0.0', reason: 'manual', deploy: { mode: 'manual', deploy_timeout_secs: 60 } },
      async () => {
        await waitingFor(t);
        expect((await t.admin('POST', '/admin/upgrade/abort')).status).toBe(202);
      },
    );
    // An operator's abort is planned: rolled back, but not a failed execution.
    expect(run.execution).toMatchObject({ status: 'SUCCEEDED', output: { outcome: 'aborted' } });
    expect(run.endState).toBe('Upgrade aborted and rolled back');
    expect(run.upgrade.state).toBe('aborted');
    expect(await status()).toMatchObject({ mode: 'Active', version: '1.0.0' });
  });

  it('the deploy timeout rolls back', async () => {
    api = await startTestApi();
    const run = await runUpgrade(api, {
      target_version: '2.0.0',
      reason: 'manual',
      deploy: { mode: 'manual', deploy_timeout_secs: 2 },
    });
    expect(run.execution).toMatchObject({ status: 'FAILED', error: 'UpgradeRolledBack' });
    expect(run.upgrade.error).toContain('States.Timeout');
    expect(await status()).toMatchObject({ mode: 'Active', version: '1.0.0' });
  });
});

describe('deploy hooks', () => {
  it('rolls three replicas in order, each verified, then smoke-tests after resume', async () => {
    api = await startTestApi();
    backend = await startSampleBackend({ replicas: 3, version: '1.0.0', restartMs: 200 });
    const run = await runUpgrade(api, {
      target_version: '2.0.0',
      reason: 'rolling',
      deploy: hooks(backend.targets),
    });
    expect(run.execution.status).toBe('SUCCEEDED');
    expect(backend.versions()).toEqual({ 'replica-1': '2.0.0', 'replica-2': '2.0.0', 'replica-3': '2.0.0' });
    const deployment = run.upgrade.deployment as {
      replicas: {
        name: string;
        from: string;
        to: string;
        started_at: string;
        healthy_at: string;
        outcome: string;
      }[];
      smoke_test: { ok: boolean };
      requested_by: string;
    };
    expect(deployment.replicas.map((r) => [r.name, r.from, r.to, r.outcome])).toEqual([
      ['replica-1', '1.0.0', '2.0.0', 'deployed'],
      ['replica-2', '1.0.0', '2.0.0', 'deployed'],
      ['replica-3', '1.0.0', '2.0.0', 'deployed'],
    ]);
    const starts = deployment.replicas.map((r) => Date.parse(r.started_at));
    const healthy = deployment.replicas.map((r) => Date.parse(r.healthy_at));
    expect(starts[1]).toBeGreaterThanOrEqual(healthy[0] as number);
    expect(starts[2]).toBeGreaterThanOrEqual(healthy[1] as number);
    expect(deployment.smoke_test.ok).toBe(true);
    expect(deployment.requested_by).toBe('admin-token');
    expect(run.steps.map((s) => s.name)).toEqual(
      expect.arrayContaining(['Roll out service replicas: backend', 'Smoke test after resume']),
    );
    expect((await api.admin('GET', '/admin/inflight')).body.count).toBe(0);
    const [entry] = (await api.admin('GET', '/admin/upgrades')).body.upgrades as Record<string, unknown>[];
    expect(entry?.deployment).toMatchObject({
      requested_by: 'admin-token',
      smoke_test_ok: true,
      replicas: [
        { service: 'backend', name: 'replica-1', from: '1.0.0', to: '2.0.0', outcome: 'deployed' },
        { name: 'replica-2' },
        { name: 'replica-3' },
      ],
    });
  });

  it('a replica failing health after deploy: the ones before it are rolled back and verified, the upgrade rolls back, no intent fails', async () => {
    api = await startTestApi();
    backend = await startSampleBackend({
      replicas: 3,
      version: '1.0.0',
      restartMs: 200,
      faults: { 'replica-2': 'unhealthy_after_deploy' },
    });
    await api.intent('POST', '/intents', { id: 'survivor', protocol_version: '1.0.0' });
    const run = await runUpgrade(api, {
      target_version: '2.0.0',
      reason: 'bad replica',
      drain_timeout_secs: 1,
      force_after_timeout: true,
      deploy: hooks(backend.targets, { replica_timeout_secs: 2 }),
    });
    expect(run.execution).toMatchObject({ status: 'FAILED', error: 'UpgradeRolledBack' });
    expect(run.upgrade.error).toContain('replica replica-2 failed');
    expect(backend.versions()).toEqual({ 'replica-1': '1.0.0', 'replica-2': '1.0.0', 'replica-3': '1.0.0' });
    expect(backend.deploys()['replica-3']).toEqual([]);
    const deployment = run.upgrade.deployment as { rollback: { name: string; outcome: string }[] };
    expect(deployment.rollback.map((r) => [r.name, r.outcome])).toEqual([
      ['replica-2', 'rolled_back'],
      ['replica-1', 'rolled_back'],
    ]);
    expect(await status()).toMatchObject({ mode: 'Active', version: '1.0.0', inflight_count: 1 });
    expect((await api.intent('POST', '/intents/survivor/complete')).body).toMatchObject({ completed: true });
  });

  it('a replica reporting the wrong version counts as failed', async () => {
    api = await startTestApi();
    backend = await startSampleBackend({
      replicas: 2,
      version: '1.0.0',
      restartMs: 100,
      faults: { 'replica-1': 'wrong_version' },
    });
    const run = await runUpgrade(api, {
      target_version: '2.0.0',
      reason: 'wrong version',
      deploy: hooks(backend.targets, { replica_timeout_secs: 2 }),
    });
    expect(run.upgrade.state).toBe('rolled_back');
    expect(run.upgrade.error).toContain('version 2.0.0-rc');
  });

  it('a deploy URL that hangs is cut off by its timeout', async () => {
    api = await startTestApi();
    backend = await startSampleBackend({
      replicas: 1,
      version: '1.0.0',
      faults: { 'replica-1': 'hang_deploy' },
    });
    const started = Date.now();
    const run = await runUpgrade(api, {
      target_version: '2.0.0',
      reason: 'hang',
      deploy: hooks(backend.targets, { request_timeout_secs: 1 }),
    });
    expect(run.upgrade.state).toBe('rolled_back');
    expect(run.upgrade.error).toContain('did not answer within 1 s');
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('a failed smoke test is reported in the history (the upgrade stays done)', async () => {
    api = await startTestApi();
    const run = await runUpgrade(api, {
      target_version: '2.0.0',
      reason: 'smoke',
      deprecate_versions: ['2.0.0'],
    });
    expect(run.execution.status).toBe('SUCCEEDED');
    expect(run.upgrade.deployment).toMatchObject({
      smoke_test: { ok: false, error: expect.stringContaining('deprecated') },
    });
  });

  it('bad deploy sections are refused at start with a 4xx naming the field', async () => {
    api = await startTestApi();
    const bad: [unknown, string][] = [
      [
        {
          mode: 'hooks',
          targets: [{ name: 'a', deploy_url: 'http://x/deploy', health_url: 'http://x/health' }],
        },
        'deploy.targets.0.version_url',
      ],
      [{ mode: 'manual', deploy_timeout_secs: -5 }, 'deploy.deploy_timeout_secs'],
      [{ mode: 'kubectl' }, 'deploy.mode'],
      [{ mode: 'hooks', targets: [] }, 'deploy.targets'],
      [
        {
          mode: 'hooks',
          targets: [{ name: 'a', deploy_url: 'ftp://x', health_url: 'http://x', version_url: 'http://x' }],
        },
        'deploy.targets.0.deploy_url',
      ],
    ];
    for (const [deploy, field] of bad) {
      const res = await api.admin('POST', '/admin/upgrade/start', {
        target_version: '2.0.0',
        reason: 'bad',
        deploy,
      });
      expect(res.status, JSON.stringify(deploy)).toBe(400);
      expect(res.body.message).toContain(field);
    }
    expect((await api.admin('GET', '/admin/upgrades')).body.count).toBe(0);
  });
});
