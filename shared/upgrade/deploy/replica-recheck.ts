import type { ReplicaRecord, ServiceSpec } from '../deploy-spec.ts';
import type { ReplicaClient } from './replica-client.ts';

type Hooks = Extract<ServiceSpec['deploy'], { mode: 'hooks' }>;

/** Where one replica stands now, asked (version and health), never read from the record. */
export async function replicaNow(
  client: ReplicaClient,
  spec: Hooks,
  name: string,
): Promise<{ version: string; health: string }> {
  const target = spec.targets.find((t) => t.name === name);
  if (!target) return { version: 'unknown', health: 'no such target' };
  const [version, health] = await Promise.all([
    client.version(target).catch((e: Error) => `unknown (${e.message})`),
    client.health(target).catch((e: Error) => `unreachable (${e.message})`),
  ]);
  return { version, health };
}

/**
 * The first replica recorded as deployed that is no longer Healthy on `version` (restarted on an old image, say, while
 * the control plane was down), as a failed record that says what it answered; null when every one still is.
 */
export async function recheckReplicas(
  client: ReplicaClient,
  spec: Hooks,
  records: readonly ReplicaRecord[],
  version: string,
): Promise<ReplicaRecord | null> {
  for (const r of records.filter((x) => x.outcome === 'deployed')) {
    const now = await replicaNow(client, spec, r.name);
    if (now.version !== version || now.health !== 'Healthy')
      return {
        ...r,
        outcome: 'failed',
        cause: `recorded as deployed on ${version}, but now answers version ${now.version}, health ${now.health}`,
      };
  }
  return null;
}
