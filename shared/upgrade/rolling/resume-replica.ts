import type { ReplicaClient } from '../deploy/replica-client.ts';
import type { ReplicaRecord, ReplicaTarget } from '../deploy-spec.ts';

/**
 * A replica that came through (`ok`: deployed, or rolled back) takes intents again: its resume hook is called. A
 * hook that fails turns the record into `failed` with why; a replica that did not come through stays drained.
 */
export async function resumeIfOk(
  c: ReplicaClient,
  target: ReplicaTarget,
  r: ReplicaRecord,
  ok: 'deployed' | 'rolled_back',
  failed: 'failed' | 'rollback_failed',
): Promise<ReplicaRecord> {
  if (r.outcome !== ok) return r;
  return c.signal(target, 'resume').then(
    () => r,
    (e: Error) => ({ ...r, outcome: failed, cause: `resume hook: ${e.message}` }),
  );
}
