import {
  clientFor,
  deploymentOf,
  type Hooks,
  replicasOf,
  saveDeployment,
  withReplica,
} from '../deploy/deployment-record.ts';
import { deployReplica, startedRecord } from '../deploy/rollout.ts';
import type { ReplicaRecord, ReplicaTarget } from '../deploy-spec.ts';
import type { UpgradeServices } from '../upgrade-services.ts';
import { StepFailure, type WorkflowState } from '../workflow-state.ts';
import { ownedIntents } from './owned-intents.ts';
import { resumeIfOk } from './resume-replica.ts';

/** Looks at draining replicas' intents over a whole rolling release (and again over its rollback), at most. */
export const ROLLING_LOOK_BUDGET = 600;

/** Seconds between looks at a draining replica: the look budget shared by every replica, each at least twice. */
export function rollingWaitSecs(s: WorkflowState, drainTimeoutSecs: number): number {
  const replicas = s.config.services.reduce(
    (n, x) => n + (x.deploy.mode === 'hooks' ? x.deploy.targets.length : 0),
    0,
  );
  const looks = Math.max(2, Math.floor(ROLLING_LOOK_BUDGET / Math.max(1, replicas)));
  return Math.max(1, s.config.poll_interval_secs, Math.ceil(drainTimeoutSecs / looks));
}

const fail = (service: string, name: string, cause: string) =>
  new StepFailure('RollingReleaseFailed', `${service} replica ${name}: ${cause}; rolling the release back`);

/**
 * A rolling release, one call per look (the workflow loops until `done`): services in order, each in batches of
 * `max_parallel` replicas. A replica is drained by its own hook (the others keep admitting: nothing is refused),
 * recorded `draining`, and deployed only once the intents it owns are done; then verified like any deploy and
 * resumed by its hook. Its own intents still there after replica_drain_timeout_secs fail the release (those with
 * funds locked are named): the workflow then rolls back every replica touched, newest first.
 */
export async function rollReplicas(svc: UpgradeServices, s: WorkflowState) {
  const version = s.config.target_version;
  const record = await svc.upgrades.get(s.upgrade_id);
  if (record?.abort_requested)
    throw new StepFailure(
      'AbortRequested',
      'an operator aborted the rolling release; rolling its replicas back',
    );
  let dep = await deploymentOf(svc, s);
  // The canary: once its replicas run the release (and none is draining), it bakes before the rest are touched.
  const canary = s.config.canary;
  const canaryPassed = record?.bake?.state === 'passed';
  const deployedCount = dep.replicas.filter((r) => r.outcome === 'deployed').length;
  const drainingAny = dep.replicas.some((r) => r.outcome === 'draining');
  if (canary && !canaryPassed && deployedCount >= canary.replicas && !drainingAny)
    return { done: false, canary_bake: true, wait_secs: 0 };
  for (const service of s.config.services) {
    const spec = service.deploy as Hooks;
    const c = clientFor(spec);
    const mine = () => replicasOf(dep.replicas, service.name);
    const cut = mine().find((r) => r.outcome === 'deploying');
    if (cut) throw fail(service.name, cut.name, 'its deploy was cut off (the control plane restarted)');
    let draining = mine().filter((r) => r.outcome === 'draining');
    if (!draining.length) {
      const seen = new Set(mine().map((r) => r.name));
      const size =
        canary && !canaryPassed
          ? Math.min(spec.max_parallel, canary.replicas - deployedCount)
          : spec.max_parallel;
      const batch = spec.targets.filter((t) => !seen.has(t.name)).slice(0, size);
      if (!batch.length) continue; // this service is done
      for (const t of batch) {
        const from = await c.version(t).catch(() => null);
        const r: ReplicaRecord = {
          ...startedRecord(service.name, t.name, from, version, 'deploying'),
          outcome: 'draining',
        };
        dep = { ...dep, replicas: withReplica(dep.replicas, r) };
        await saveDeployment(svc, s, dep); // recorded before its hook: a rollback resumes it
        await c.signal(t, 'drain').catch((e: Error) => {
          throw fail(service.name, t.name, `drain hook: ${e.message}`);
        });
      }
      draining = mine().filter((r) => r.outcome === 'draining');
    }
    const now = svc.clock.now();
    const waits: { replica: string; owned: number }[] = [];
    for (const r of draining) {
      const owned = await ownedIntents(svc.inflight, r.name);
      if (owned.count === 0) continue;
      const waited = (now - Date.parse(r.started_at)) / 1000;
      if (waited >= spec.replica_drain_timeout_secs)
        throw fail(
          service.name,
          r.name,
          `${owned.count} of its intents still inflight after ${spec.replica_drain_timeout_secs} s (${owned.locked} with funds locked; e.g. ${owned.sample.join(', ')})`,
        );
      waits.push({ replica: r.name, owned: owned.count });
    }
    if (waits.length)
      return {
        canary_bake: false,
        done: false,
        service: service.name,
        waiting: waits,
        wait_secs: rollingWaitSecs(s, spec.replica_drain_timeout_secs),
      };
    // Every replica of the batch holds nothing now: deploy, verify, resume each.
    const results = await Promise.all(
      draining.map(async (r) => {
        const t = spec.targets.find((x) => x.name === r.name) as ReplicaTarget;
        const deployed = await deployReplica(c, t, version, spec, r.from);
        const resumed = await resumeIfOk(c, t, deployed, 'deployed', 'failed');
        return {
          ...resumed,
          service: service.name,
          started_at: r.started_at,
        };
      }),
    );
    for (const r of results) dep = { ...dep, replicas: withReplica(dep.replicas, r) };
    await saveDeployment(svc, s, dep);
    const failed = results.find((r) => r.outcome === 'failed');
    if (failed) throw fail(service.name, failed.name, failed.cause ?? 'failed');
    return {
      canary_bake: false,
      done: false,
      service: service.name,
      deployed: results.map((r) => r.name),
      wait_secs: 0,
    };
  }
  return {
    canary_bake: false,
    done: true,
    wait_secs: 0,
  };
}
