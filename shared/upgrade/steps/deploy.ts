import { currentService } from '../components/current-component.ts';
import {
  clientFor,
  deploymentOf,
  type Hooks,
  replicasOf,
  saveDeployment,
  withReplica,
} from '../deploy/deployment-record.ts';
import { recheckReplicas } from '../deploy/replica-recheck.ts';
import { deployReplica, nextTargets, startedRecord } from '../deploy/rollout.ts';
import type { ReplicaRecord, ServiceSpec } from '../deploy-spec.ts';
import { recordPatch, writeRecord } from '../record-patch.ts';
import { MAINTENANCE_SERVICE } from '../upgrade-config.ts';
import type { UpgradeServices } from '../upgrade-services.ts';
import { StepFailure, type WorkflowState } from '../workflow-state.ts';

const summary = (r: ReplicaRecord) => ({
  service: r.service,
  name: r.name,
  from: r.from,
  to: r.to,
  duration_ms: r.duration_ms,
});

/**
 * Hooks mode, one Task per batch of `max_parallel` replicas of the service the workflow is at (it loops until
 * `done`): each replica is recorded as deploying before its hook is called and with its outcome after, so a replica
 * whose Task was cut off is known and rolled back. Replicas recorded as deployed by an earlier Task are asked again
 * first (version and health): after a crash or a restart the record is not the truth. A failure fails the step: the
 * rollback undoes every replica touched, the failed one too.
 */
export async function rollOutReplicas(svc: UpgradeServices, s: WorkflowState) {
  const service = currentService(s);
  const spec = service.deploy as Hooks;
  let dep = await deploymentOf(svc, s);
  const c = clientFor(spec);
  const version = s.config.target_version;
  const fail = (name: string, cause: string | null) =>
    new StepFailure(
      'DeployFailed',
      `${service.name} replica ${name} failed: ${cause}; rolling the replicas back`,
    );
  const mine = () => replicasOf(dep.replicas, service.name);
  const lapsed = await recheckReplicas(c, spec, mine(), version);
  if (lapsed) {
    dep = { ...dep, replicas: withReplica(dep.replicas, lapsed) };
    await saveDeployment(svc, s, dep);
    throw fail(lapsed.name, lapsed.cause);
  }
  const cut = mine().find((r) => r.outcome === 'deploying');
  if (cut) {
    // A re-run after the Task was cut off mid-deploy: ask the replica where it stands. On the target already, it is
    // verified without a second hook call; otherwise its hook (which sets a version, so repeating it is harmless) is
    // called again. Either way it is verified like any deploy, and a failure rolls everything back.
    const target = spec.targets.find((t) => t.name === cut.name);
    const now = target ? await c.version(target).catch(() => null) : null;
    const result = target
      ? await deployReplica(c, target, version, spec, cut.from, 250, now === version)
      : { ...cut, outcome: 'failed' as const, cause: 'no such target in the deploy section' };
    const resumed = {
      ...result,
      service: service.name,
      cause: result.cause ?? 'resumed after its deploy was cut off',
    };
    dep = { ...dep, replicas: withReplica(dep.replicas, resumed) };
    await saveDeployment(svc, s, dep);
    if (resumed.outcome === 'failed') throw fail(cut.name, resumed.cause);
    return {
      service: service.name,
      done: mine().length >= spec.targets.length,
      replicas: [summary(resumed)],
    };
  }
  const batch = nextTargets(spec, mine());
  const started = await Promise.all(
    batch.map(async (t) => ({ t, from: await c.version(t).catch(() => null) })),
  );
  for (const { t, from } of started)
    dep = {
      ...dep,
      replicas: withReplica(dep.replicas, startedRecord(service.name, t.name, from, version, 'deploying')),
    };
  if (batch.length) await saveDeployment(svc, s, dep);
  const results = (
    await Promise.all(started.map(({ t, from }) => deployReplica(c, t, version, spec, from)))
  ).map((r): ReplicaRecord => ({ ...r, service: service.name }));
  for (const r of results) dep = { ...dep, replicas: withReplica(dep.replicas, r) };
  if (batch.length) await saveDeployment(svc, s, dep);
  const failed = results.find((r) => r.outcome === 'failed');
  if (failed) throw fail(failed.name, failed.cause);
  return {
    service: service.name,
    done: mine().length >= spec.targets.length,
    replicas: results.map(summary),
  };
}

/** Manual mode: record the task token and tell the operator what to do; the workflow waits for /continue. */
export async function waitForDeploy(svc: UpgradeServices, s: WorkflowState, taskToken: string) {
  const base = await deploymentOf(svc, s);
  const service = currentService(s);
  const spec = service.deploy as Extract<ServiceSpec['deploy'], { mode: 'manual' }>;
  const which = service.name === MAINTENANCE_SERVICE ? 'backend' : service.name;
  const message = s.config.maintenance
    ? `maintenance on ${s.config.target_version}: the system is drained and checkpointed. Do the work, then ` +
      `POST /admin/drain/resume (with {"version": "…"} if you deployed a new protocol version), or ` +
      `POST /admin/upgrade/${s.upgrade_id}/continue; POST /admin/upgrade/abort restores the checkpoint. ` +
      `Rolls back by itself after ${spec.deploy_timeout_secs} s.`
    : `deploy ${which} version ${s.config.target_version} now${spec.instructions ? ` (${spec.instructions})` : ''}, then ` +
      `POST /admin/upgrade/${s.upgrade_id}/continue (or POST /admin/drain/resume); or POST /admin/upgrade/abort. ` +
      `Rolls back by itself after ${spec.deploy_timeout_secs} s.`;
  await writeRecord(
    svc.upgrades,
    s.upgrade_id,
    recordPatch('deployment', {
      deployment: {
        ...base,
        waiting_for: service.name,
        manual_started: [...(base.manual_started ?? []).filter((n) => n !== service.name), service.name],
        continued_by: null,
        task_token: taskToken,
        waiting_since: new Date(svc.clock.now()).toISOString(),
      },
      current_step: s.config.maintenance ? 'Waiting for the operator (maintenance)' : 'Waiting for deploy',
      error: null,
      result: { waiting_for: 'deploy', message },
    }),
  );
  return { waiting: true, message };
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
  const base = await deploymentOf(svc, s);
  const smoke = { ok: error === null, intent_id: id, error, at };
  await writeRecord(
    svc.upgrades,
    s.upgrade_id,
    recordPatch('deployment', { deployment: { ...base, smoke_test: smoke } }),
  );
  return smoke;
}
