import { httpReplicaClient } from '../deploy/replica-client.ts';
import {
  deployReplica,
  nextTargets,
  nextToRollBack,
  rollBackReplica,
  startedRecord,
} from '../deploy/rollout.ts';
import type { DeploymentRecord, DeploySpec, ReplicaRecord } from '../deploy-spec.ts';
import { recordPatch, writeRecord } from '../record-patch.ts';
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

const withReplica = (list: readonly ReplicaRecord[], r: ReplicaRecord): ReplicaRecord[] =>
  list.some((x) => x.name === r.name) ? list.map((x) => (x.name === r.name ? r : x)) : [...list, r];

/**
 * Hooks mode, one Task per batch of `max_parallel` replicas (the workflow loops until `done`): each replica is
 * recorded as deploying before its hook is called and with its outcome after, so a replica whose Task was cut
 * off is known and rolled back. A failure (or a replica found cut off) fails the step: the rollback undoes every
 * replica touched, the failed one too.
 */
export async function rollOutReplicas(svc: UpgradeServices, s: WorkflowState) {
  const spec = s.config.deploy as Hooks;
  const save = (d: DeploymentRecord) =>
    writeRecord(svc.upgrades, s.upgrade_id, recordPatch('deployment', { deployment: d }));
  let dep = await deployment(svc, s);
  const c = client(spec);
  const version = s.config.target_version;
  const cut = dep.replicas.find((r) => r.outcome === 'deploying');
  if (cut) {
    // A re-run after the Task was cut off mid-deploy: ask the replica where it stands. On the target already, it is
    // verified without a second hook call; otherwise its hook (which sets a version, so repeating it is harmless) is
    // called again. Either way it is verified like any deploy, and a failure rolls everything back.
    const target = spec.targets.find((t) => t.name === cut.name);
    const now = target ? await c.version(target).catch(() => null) : null;
    const result = target
      ? await deployReplica(c, target, version, spec, cut.from, 250, now === version)
      : { ...cut, outcome: 'failed' as const, cause: 'no such target in the deploy section' };
    const resumed = { ...result, cause: result.cause ?? 'resumed after its deploy was cut off' };
    dep = { ...dep, replicas: withReplica(dep.replicas, resumed) };
    await save(dep);
    if (resumed.outcome === 'failed')
      throw new StepFailure(
        'DeployFailed',
        `replica ${cut.name} failed: ${resumed.cause}; rolling the replicas back`,
      );
    return {
      done: dep.replicas.length >= spec.targets.length,
      replicas: [
        { name: resumed.name, from: resumed.from, to: resumed.to, duration_ms: resumed.duration_ms },
      ],
    };
  }
  const batch = nextTargets(spec, dep.replicas);
  const started = await Promise.all(
    batch.map(async (t) => ({ t, from: await c.version(t).catch(() => null) })),
  );
  for (const { t, from } of started)
    dep = { ...dep, replicas: withReplica(dep.replicas, startedRecord(t.name, from, version, 'deploying')) };
  if (batch.length) await save(dep);
  const results = await Promise.all(started.map(({ t, from }) => deployReplica(c, t, version, spec, from)));
  for (const r of results) dep = { ...dep, replicas: withReplica(dep.replicas, r) };
  if (batch.length) await save(dep);
  const failed = results.find((r) => r.outcome === 'failed');
  if (failed)
    throw new StepFailure(
      'DeployFailed',
      `replica ${failed.name} failed: ${failed.cause}; rolling the replicas back`,
    );
  return {
    done: dep.replicas.length >= spec.targets.length,
    replicas: results.map((r) => ({ name: r.name, from: r.from, to: r.to, duration_ms: r.duration_ms })),
  };
}

/** Manual mode: record the task token and tell the operator what to do; the workflow waits for /continue. */
export async function waitForDeploy(svc: UpgradeServices, s: WorkflowState, taskToken: string) {
  const base = await deployment(svc, s);
  const spec = s.config.deploy as Extract<DeploySpec, { mode: 'manual' }>;
  const message = s.config.maintenance
    ? `maintenance on ${s.config.target_version}: the system is drained and checkpointed. Do the work, then ` +
      `POST /admin/drain/resume (with {"version": "…"} if you deployed a new protocol version), or ` +
      `POST /admin/upgrade/${s.upgrade_id}/continue; POST /admin/upgrade/abort restores the checkpoint. ` +
      `Rolls back by itself after ${spec.deploy_timeout_secs} s.`
    : `deploy backend version ${s.config.target_version} now${spec.instructions ? ` (${spec.instructions})` : ''}, then ` +
      `POST /admin/upgrade/${s.upgrade_id}/continue (or POST /admin/drain/resume); or POST /admin/upgrade/abort. ` +
      `Rolls back by itself after ${spec.deploy_timeout_secs} s.`;
  await writeRecord(
    svc.upgrades,
    s.upgrade_id,
    recordPatch('deployment', {
      deployment: { ...base, task_token: taskToken, waiting_since: new Date(svc.clock.now()).toISOString() },
      current_step: s.config.maintenance ? 'Waiting for the operator (maintenance)' : 'Waiting for deploy',
      error: null,
      result: { waiting_for: 'deploy', message },
    }),
  );
  return { waiting: true, message };
}

/**
 * First step of every rollback after the checkpoint, one replica per Task (the workflow loops until `done`): the
 * newest replica touched and not yet rolled back goes back on the version it ran, recorded as rolling back
 * before its hook is called and with its outcome after.
 */
export async function rollBackDeployedReplicas(svc: UpgradeServices, s: WorkflowState) {
  const spec = s.config.deploy;
  let dep = await deployment(svc, s);
  if (spec.mode === 'manual' && (dep.continued_by || dep.waiting_since)) {
    return {
      done: true,
      note: `manual deploy: redeploy backend version ${s.from_version} yourself; the data is being rolled back`,
    };
  }
  if (spec.mode !== 'hooks') return { done: true, skipped: true };
  const { next, left } = nextToRollBack(dep.replicas, dep.rollback);
  if (!next) return { done: true, rolled_back: 0 };
  const save = (d: DeploymentRecord) =>
    writeRecord(svc.upgrades, s.upgrade_id, recordPatch('deployment', { deployment: d }));
  const back = startedRecord(next.name, next.to, next.from ?? 'unknown', 'rolling_back');
  dep = { ...dep, rollback: withReplica(dep.rollback, back) };
  await save(dep);
  const result = await rollBackReplica(client(spec), spec, next);
  await save({ ...dep, rollback: withReplica(dep.rollback, result) });
  return { done: left <= 1, replica: next.name, outcome: result.outcome, cause: result.cause };
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
    // Fresh: a producer's refusal seen during the upgrade (repeated for a second in this process) is no answer
    // about the version that has just resumed.
    await svc.inflight.register(
      { id, phase: 'SmokeTest', protocol_version: s.config.target_version, smoke_test: true },
      { fresh: true },
    );
    const done = await svc.inflight.complete(id);
    if (!done.completed) error = 'the test intent could not be completed';
  } catch (err) {
    error = (err as Error).message;
  }
  const base = await deployment(svc, s);
  const smoke = { ok: error === null, intent_id: id, error, at };
  await writeRecord(
    svc.upgrades,
    s.upgrade_id,
    recordPatch('deployment', { deployment: { ...base, smoke_test: smoke } }),
  );
  return smoke;
}
