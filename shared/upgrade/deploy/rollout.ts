import type { ReplicaRecord, ReplicaTarget, ServiceSpec } from '../deploy-spec.ts';
import type { ReplicaClient } from './replica-client.ts';

type HooksSpec = Extract<ServiceSpec['deploy'], { mode: 'hooks' }>;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Deploys `version` to one replica and verifies it: the hook accepts, then within the replica timeout the replica
 * is Healthy and reports `version`, and is still Healthy after `stabilize_secs`. Never throws: the record says how
 * it went.
 */
export async function deployReplica(
  client: ReplicaClient,
  target: ReplicaTarget,
  version: string,
  spec: HooksSpec,
  from: string | null,
  pollMs = 250,
  /** The replica reports `version` already (a re-run after a cut-off deploy): verify it without a second hook call. */
  alreadyOnVersion = false,
): Promise<ReplicaRecord> {
  const started = Date.now();
  const record = (
    outcome: ReplicaRecord['outcome'],
    cause: string | null,
    healthyAt: number | null,
  ): ReplicaRecord => ({
    name: target.name,
    from,
    to: version,
    started_at: new Date(started).toISOString(),
    healthy_at: healthyAt === null ? null : new Date(healthyAt).toISOString(),
    outcome,
    cause,
    duration_ms: Date.now() - started,
  });
  try {
    if (!alreadyOnVersion) await client.deploy(target, version);
  } catch (err) {
    return record('failed', `deploy: ${(err as Error).message}`, null);
  }
  const deadline = started + spec.replica_timeout_secs * 1000;
  let seen = 'no answer yet';
  while (Date.now() < deadline) {
    const [health, running] = await Promise.all([
      client.health(target).catch((e: Error) => `unreachable (${e.message})`),
      client.version(target).catch((e: Error) => `unknown (${e.message})`),
    ]);
    seen = `health ${health}, version ${running}`;
    if (health === 'Healthy' && running === version) {
      const healthyAt = Date.now();
      if (spec.stabilize_secs > 0) {
        await sleep(spec.stabilize_secs * 1000);
        const after = await client.health(target).catch(() => 'Unhealthy');
        if (after !== 'Healthy')
          return record(
            'failed',
            `unhealthy (${after}) after stabilizing ${spec.stabilize_secs} s`,
            healthyAt,
          );
      }
      return record('deployed', null, healthyAt);
    }
    await sleep(pollMs);
  }
  return record(
    'failed',
    `not healthy on ${version} within ${spec.replica_timeout_secs} s (last seen: ${seen})`,
    null,
  );
}

/** The next targets to deploy: the first `max_parallel` with no record yet. */
export const nextTargets = (spec: HooksSpec, replicas: readonly ReplicaRecord[]): ReplicaTarget[] => {
  const seen = new Set(replicas.map((r) => r.name));
  return spec.targets.filter((t) => !seen.has(t.name)).slice(0, spec.max_parallel);
};

/** A replica as recorded before its deploy hook is called: if the record still says so later, it was cut off. */
export const startedRecord = (
  service: string,
  name: string,
  from: string | null,
  to: string,
  outcome: 'deploying' | 'rolling_back',
): ReplicaRecord => ({
  service,
  name,
  from,
  to,
  started_at: new Date().toISOString(),
  healthy_at: null,
  outcome,
  cause: null,
  duration_ms: 0,
});

/**
 * The replica to roll back next: the newest one touched by the rollout (deployed, failed, or cut off while
 * deploying) whose rollback has not ended (never started, or itself cut off).
 */
export function nextToRollBack(
  replicas: readonly ReplicaRecord[],
  rollback: readonly ReplicaRecord[],
): { next: ReplicaRecord | null; left: number } {
  const ended = new Set(
    rollback.filter((r) => r.outcome === 'rolled_back' || r.outcome === 'rollback_failed').map((r) => r.name),
  );
  const pending = [...replicas]
    .reverse()
    .filter((r) => r.outcome !== 'rolled_back' && r.outcome !== 'rollback_failed' && !ended.has(r.name));
  return { next: pending[0] ?? null, left: pending.length };
}

/**
 * The replicas a rollback could not put back (its hook failed or hung, its version did not come back, or it was cut
 * off while rolling back), with what is known of where each stands: the upgrade may not resume with them.
 */
export function replicasNotBack(rollback: readonly ReplicaRecord[]): string[] {
  return rollback
    .filter((r) => r.outcome === 'rollback_failed' || r.outcome === 'rolling_back')
    .map(
      (r) =>
        `${r.service ? `${r.service} ` : ''}${r.name} may still run ${r.from ?? 'the new version'} (its rollback to ${r.to} ${r.outcome === 'rolling_back' ? 'was cut off' : `failed: ${r.cause ?? 'no cause recorded'}`})`,
    );
}

/** Puts one touched replica back on the version it ran before, verified like a deploy. Never throws. */
export async function rollBackReplica(
  client: ReplicaClient,
  spec: HooksSpec,
  r: ReplicaRecord,
): Promise<ReplicaRecord> {
  const target = spec.targets.find((t) => t.name === r.name);
  if (!target || r.from === null) {
    const cause = target ? 'its previous version was unknown' : 'no such target in the deploy section';
    return { ...r, outcome: 'rollback_failed', cause, duration_ms: 0 };
  }
  // Asked, not trusted from the record: a replica whose deploy never took (its hook hung or failed) still runs the
  // old version, and is verified there without a hook call.
  const now = await client.version(target).catch(() => null);
  const back = await deployReplica(client, target, r.from, spec, r.to, 250, now === r.from);
  return {
    ...back,
    service: r.service,
    outcome: back.outcome === 'deployed' ? 'rolled_back' : 'rollback_failed',
  };
}
