import { httpReplicaClient } from '../deploy/replica-client.ts';
import { rollBackReplicas, rollOut } from '../deploy/rollout.ts';
import type { DeploymentRecord, DeploySpec } from '../deploy-spec.ts';
import type { UpgradeServices } from '../upgrade-services.ts';
import { StepFailure, type WorkflowState } from '../workflow-state.ts';

type Hooks = Extract<DeploySpec, { mode: 'hooks' }>;

const emptyRecord = (s: WorkflowState, requestedBy: string): DeploymentRecord => ({
  mode: s.config.deploy.mode,
  requested_by: requestedBy,
  replicas: [],
  rollback: [],
  continued_by: null,
  waiting_since: null,
  task_token: null,
  smoke_test: null,
});

async function deployment(svc: UpgradeServices, s: WorkflowState): Promise<DeploymentRecord> {
  const record = await svc.upgrades.get(s.upgrade_id);
  return (
    (record?.deployment as DeploymentRecord | null | undefined) ??
    emptyRecord(s, record?.requested_by ?? 'unknown')
  );
}

const client = (spec: Hooks) =>
  httpReplicaClient({ requestTimeoutSecs: spec.request_timeout_secs, retries: spec.retries });

/** Hooks mode: deploy the target version replica by replica, verified; a failure rolls the touched replicas back. */
export async function rollOutReplicas(svc: UpgradeServices, s: WorkflowState) {
  const spec = s.config.deploy as Hooks;
  const base = await deployment(svc, s);
  const result = await rollOut(client(spec), spec, s.config.target_version, (replicas) =>
    svc.upgrades.update(s.upgrade_id, { deployment: { ...base, replicas } }),
  );
  await svc.upgrades.update(s.upgrade_id, {
    deployment: { ...base, replicas: result.replicas, rollback: result.rollback },
  });
  if (result.failed) {
    const back = result.rollback.map((r) => `${r.name} ${r.outcome}`).join(', ');
    throw new StepFailure(
      'DeployFailed',
      `replica ${result.failed.name} failed: ${result.failed.cause}; replicas rolled back: ${back}`,
    );
  }
  return {
    replicas: result.replicas.map((r) => ({
      name: r.name,
      from: r.from,
      to: r.to,
      duration_ms: r.duration_ms,
    })),
  };
}

/** Manual mode: record the task token and tell the operator what to do; the workflow waits for /continue. */
export async function waitForDeploy(svc: UpgradeServices, s: WorkflowState, taskToken: string) {
  const base = await deployment(svc, s);
  const spec = s.config.deploy as Extract<DeploySpec, { mode: 'manual' }>;
  const message =
    `deploy backend version ${s.config.target_version} now${spec.instructions ? ` (${spec.instructions})` : ''}, then ` +
    `POST /admin/upgrade/${s.upgrade_id}/continue; or POST /admin/upgrade/abort. Rolls back by itself after ${spec.deploy_timeout_secs} s.`;
  await svc.upgrades.update(s.upgrade_id, {
    deployment: { ...base, task_token: taskToken, waiting_since: new Date(svc.clock.now()).toISOString() },
    current_step: 'Waiting for deploy',
    error: null,
    result: { waiting_for: 'deploy', message },
  });
  return { waiting: true, message };
}

/** First step of every rollback after the checkpoint: put replicas back on the version they ran (hooks mode). */
export async function rollBackDeployedReplicas(svc: UpgradeServices, s: WorkflowState) {
  const spec = s.config.deploy;
  const base = await deployment(svc, s);
  if (spec.mode === 'manual' && (base.continued_by || base.waiting_since)) {
    return {
      note: `manual deploy: redeploy backend version ${s.from_version} yourself; the data is being rolled back`,
    };
  }
  if (spec.mode !== 'hooks') return { skipped: true };
  const undone = new Set(base.rollback.map((r) => r.name));
  const touched = base.replicas.filter((r) => r.outcome === 'deployed' && !undone.has(r.name));
  if (!touched.length) return { rolled_back: 0 };
  const rollback = await rollBackReplicas(client(spec), spec, touched);
  await svc.upgrades.update(s.upgrade_id, {
    deployment: { ...base, rollback: [...base.rollback, ...rollback] },
  });
  return {
    rolled_back: rollback.filter((r) => r.outcome === 'rolled_back').length,
    failed: rollback.filter((r) => r.outcome !== 'rolled_back').map((r) => r.name),
  };
}

/**
 * After resume: register and complete a test intent of the control plane's own (marked, and excluded from the
 * operators' counts). Never fails the execution: the result, good or bad, goes into the history.
 */
export async function smokeTest(svc: UpgradeServices, s: WorkflowState) {
  const id = `smoke-${s.upgrade_id}`.slice(0, 128);
  const at = new Date(svc.clock.now()).toISOString();
  let error: string | null = null;
  try {
    await svc.inflight.register({
      id,
      phase: 'SmokeTest',
      protocol_version: s.config.target_version,
      smoke_test: true,
    });
    const done = await svc.inflight.complete(id);
    if (!done.completed) error = 'the test intent could not be completed';
  } catch (err) {
    error = (err as Error).message;
  }
  const base = await deployment(svc, s);
  const smoke = { ok: error === null, intent_id: id, error, at };
  await svc.upgrades.update(s.upgrade_id, { deployment: { ...base, smoke_test: smoke } });
  return smoke;
}
