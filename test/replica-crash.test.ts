import { afterEach, describe, expect, it } from 'vitest';
import { startSampleBackend } from '../local/sample-backend.ts';
import { rollBackNextComponent } from '../shared/upgrade/components/roll-back-components.ts';
import type { DeploymentRecord, ReplicaRecord } from '../shared/upgrade/deploy-spec.ts';
import { rollOutReplicas } from '../shared/upgrade/steps/deploy.ts';
import { runConfig, withDefaults } from '../shared/upgrade/upgrade-config.ts';
import type { UpgradeRecord } from '../shared/upgrade/upgrade-record.ts';
import type { WorkflowState } from '../shared/upgrade/workflow-state.ts';
import { freshControlPlane } from './support/control-plane.ts';
import { eventually } from './support/upgrade.ts';

let backend: Awaited<ReturnType<typeof startSampleBackend>> | undefined;
afterEach(async () => {
  await backend?.stop();
  backend = undefined;
});

/** A Task cut off after calling a replica's deploy hook (Lambda timeout, crash): its record says "deploying". */
async function cutOffMidDeploy() {
  const { cp } = await freshControlPlane();
  backend = await startSampleBackend({ replicas: 2, version: '1.0.0', restartMs: 50 });
  const [first] = backend.targets;
  if (!first) throw new Error('no replica');
  await fetch(first.deploy_url, { method: 'POST', body: JSON.stringify({ version: '2.0.0' }) });
  await eventually(async () => backend?.versions()['replica-1'] === '2.0.0');
  const config = runConfig(
    withDefaults(
      {
        target_version: '2.0.0',
        reason: 'crash',
        deploy: { mode: 'hooks', targets: backend.targets, replica_timeout_secs: 5, retries: 0 },
      },
      1,
    ),
    '1.0.0',
  );
  const deploying: ReplicaRecord = {
    service: 'backend',
    name: 'replica-1',
    from: '1.0.0',
    to: '2.0.0',
    started_at: new Date().toISOString(),
    healthy_at: null,
    outcome: 'deploying',
    cause: null,
    duration_ms: 0,
  };
  const deployment: DeploymentRecord = {
    requested_by: 'test',
    replicas: [deploying],
    rollback: [],
    continued_by: null,
    waiting_since: null,
    task_token: null,
    smoke_test: null,
  };
  const id = `crash-${Date.now()}`;
  const record = {
    id,
    execution_name: id,
    execution_arn: null,
    from_version: '1.0.0',
    to_version: '2.0.0',
    state: 'running',
    started_at: Date.now(),
    finished_at: null,
    requested_by: 'test',
    reason: 'crash',
    config,
    current_step: 'Roll out service replicas: backend',
    progress_pct: 60,
    checkpoint_id: null,
    records_migrated: 0,
    migration_progress: null,
    abort_requested: false,
    error: null,
    result: null,
    deployment,
  } satisfies UpgradeRecord;
  await cp.upgrade.upgrades.create(record);
  const state: WorkflowState = {
    scheduled: false,
    upgrade_id: id,
    from_version: '1.0.0',
    config,
    rollback_attempts: { count: 0 },
    cursor: { index: 0, component: config.components[0] },
  };
  return { svc: cp.upgrade, state, id };
}

describe('a replica whose Task was cut off mid-deploy', () => {
  it('is rolled back by the replica rollback, verified', async () => {
    const { svc, state, id } = await cutOffMidDeploy();
    const result = await rollBackNextComponent(svc, state);
    expect(result).toMatchObject({
      done: false,
      service: 'backend',
      replica: 'replica-1',
      outcome: 'rolled_back',
    });
    expect(backend?.versions()).toEqual({ 'replica-1': '1.0.0', 'replica-2': '1.0.0' });
    const dep = (await svc.upgrades.get(id))?.deployment;
    expect(dep?.rollback.map((r) => [r.name, r.from, r.to, r.outcome])).toEqual([
      ['replica-1', '2.0.0', '1.0.0', 'rolled_back'],
    ]);
    expect(await rollBackNextComponent(svc, state)).toEqual({ done: true });
  });

  it('a re-run finds it on the target already: verified, not deployed twice, and the rollout goes on', async () => {
    const { svc, state, id } = await cutOffMidDeploy();
    const deploysBefore = backend?.deploys()['replica-1']?.length ?? 0;
    expect(await rollOutReplicas(svc, state)).toMatchObject({ done: false });
    expect(backend?.deploys()['replica-1']?.length).toBe(deploysBefore);
    let dep = (await svc.upgrades.get(id))?.deployment;
    expect(dep?.replicas.map((r) => [r.name, r.outcome])).toEqual([['replica-1', 'deployed']]);
    expect(await rollOutReplicas(svc, state)).toMatchObject({ done: true });
    dep = (await svc.upgrades.get(id))?.deployment;
    expect(dep?.replicas.map((r) => [r.name, r.outcome])).toEqual([
      ['replica-1', 'deployed'],
      ['replica-2', 'deployed'],
    ]);
    expect(backend?.versions()).toEqual({ 'replica-1': '2.0.0', 'replica-2': '2.0.0' });
  });

  it('a re-run finds it still on the old version (cut off before the hook took effect): deployed again', async () => {
    const { svc, state, id } = await cutOffMidDeploy();
    const [first] = backend?.targets ?? [];
    if (!first) throw new Error('no replica');
    await fetch(first.deploy_url, { method: 'POST', body: JSON.stringify({ version: '1.0.0' }) });
    await eventually(async () => backend?.versions()['replica-1'] === '1.0.0');
    expect(await rollOutReplicas(svc, state)).toMatchObject({ done: false });
    expect(backend?.versions()['replica-1']).toBe('2.0.0');
    const dep = (await svc.upgrades.get(id))?.deployment;
    expect(dep?.replicas.map((r) => [r.name, r.outcome, r.from])).toEqual([
      ['replica-1', 'deployed', '1.0.0'],
    ]);
  });

  it('a replica recorded as deployed that answers the old version now (restarted meanwhile) fails the next batch', async () => {
    const { svc, state, id } = await cutOffMidDeploy();
    expect(await rollOutReplicas(svc, state)).toMatchObject({ done: false });
    const [first] = backend?.targets ?? [];
    if (!first) throw new Error('no replica');
    await fetch(first.deploy_url, { method: 'POST', body: JSON.stringify({ version: '1.0.0' }) });
    await eventually(async () => backend?.versions()['replica-1'] === '1.0.0');
    await expect(rollOutReplicas(svc, state)).rejects.toThrow(
      /backend replica replica-1 failed: recorded as deployed on 2.0.0, but now answers version 1.0.0/,
    );
    const dep = (await svc.upgrades.get(id))?.deployment;
    expect(dep?.replicas.map((r) => [r.name, r.outcome])).toEqual([['replica-1', 'failed']]);
    expect(backend?.versions()['replica-2']).toBe('1.0.0'); // the next replica was not touched
  });
});
