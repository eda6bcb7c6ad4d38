import type { DeploySpec, ReplicaRecord, ReplicaTarget } from '../deploy-spec.ts';
import type { ReplicaClient } from './replica-client.ts';

type HooksSpec = Extract<DeploySpec, { mode: 'hooks' }>;
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
    await client.deploy(target, version);
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

export interface RolloutResult {
  readonly replicas: ReplicaRecord[];
  readonly rollback: ReplicaRecord[];
  readonly failed: ReplicaRecord | null;
}

/**
 * Rolls `version` across the replicas in order, `max_parallel` at a time. At the first failure it stops, and
 * rolls every replica it touched (the failed one too) back to the version it ran before, verified the same way.
 */
export async function rollOut(
  client: ReplicaClient,
  spec: HooksSpec,
  version: string,
  onProgress: (replicas: ReplicaRecord[]) => Promise<void>,
): Promise<RolloutResult> {
  const replicas: ReplicaRecord[] = [];
  for (let i = 0; i < spec.targets.length; i += spec.max_parallel) {
    const batch = spec.targets.slice(i, i + spec.max_parallel);
    const results = await Promise.all(
      batch.map(async (t) =>
        deployReplica(client, t, version, spec, await client.version(t).catch(() => null)),
      ),
    );
    replicas.push(...results);
    await onProgress(replicas);
    const failed = results.find((r) => r.outcome === 'failed');
    if (failed) return { replicas, rollback: await rollBackReplicas(client, spec, replicas), failed };
  }
  return { replicas, rollback: [], failed: null };
}

/** Puts each touched replica back on the version it ran before, newest first, verifying each. */
export async function rollBackReplicas(
  client: ReplicaClient,
  spec: HooksSpec,
  touched: readonly ReplicaRecord[],
): Promise<ReplicaRecord[]> {
  const out: ReplicaRecord[] = [];
  for (const r of [...touched].reverse()) {
    const target = spec.targets.find((t) => t.name === r.name);
    if (!target) continue;
    if (r.from === null) {
      out.push({
        ...r,
        outcome: 'rollback_failed',
        cause: 'its previous version was unknown',
        duration_ms: 0,
      });
      continue;
    }
    const back = await deployReplica(client, target, r.from, spec, r.to);
    out.push({ ...back, outcome: back.outcome === 'deployed' ? 'rolled_back' : 'rollback_failed' });
  }
  return out;
}
