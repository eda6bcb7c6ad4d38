/** One replica of a backend service, driven by its deploy hook and verified by its health and version URLs. */
export interface ReplicaTarget {
  readonly name: string;
  readonly deploy_url: string;
  readonly health_url: string;
  readonly version_url: string;
}

/** The `deploy` section of an upgrade request: how the new backend version gets onto the replicas. */
export type DeploySpec =
  | { readonly mode: 'none' }
  | {
      readonly mode: 'manual';
      /** How long the workflow waits for POST /admin/upgrade/{id}/continue before rolling back. */
      readonly deploy_timeout_secs: number;
      readonly instructions: string | null;
    }
  | {
      readonly mode: 'hooks';
      readonly targets: readonly ReplicaTarget[];
      readonly max_parallel: number;
      /** Per replica: deploy call answered, then healthy and on the target version, within this time. */
      readonly replica_timeout_secs: number;
      readonly stabilize_secs: number;
      /** Each HTTP call's own timeout. */
      readonly request_timeout_secs: number;
      /** Retries of a failed HTTP call (deploy, health, version). */
      readonly retries: number;
    };

export const NO_DEPLOY: DeploySpec = { mode: 'none' };

type Hooks = Extract<DeploySpec, { mode: 'hooks' }>;

/**
 * The most one replica's deploy (or rollback) may take, so that one batch fits its Task's function (900 s) with
 * room for the record writes: see replicaWorstCaseSecs.
 */
export const REPLICA_BUDGET_SECS = 840;

/** One HTTP call to a replica, retries and their backoff (200 ms, doubling) included. */
export const replicaCallWorstCaseSecs = (spec: Pick<Hooks, 'request_timeout_secs' | 'retries'>): number =>
  spec.request_timeout_secs * (spec.retries + 1) + 0.2 * (2 ** spec.retries - 1);

/**
 * The longest one replica's deploy can run (shared/upgrade/deploy/rollout.ts deployReplica): the version read
 * before it, the deploy call, the wait for health and version (the last look may start just before the deadline),
 * the stabilization, and the health call after it.
 */
export const replicaWorstCaseSecs = (
  spec: Pick<Hooks, 'request_timeout_secs' | 'retries' | 'replica_timeout_secs' | 'stabilize_secs'>,
): number => 4 * replicaCallWorstCaseSecs(spec) + spec.replica_timeout_secs + 1 + spec.stabilize_secs;

/** What happened to one replica during the rollout (and its rollback), as the history shows it. */
export interface ReplicaRecord {
  readonly name: string;
  readonly from: string | null;
  readonly to: string;
  readonly started_at: string;
  readonly healthy_at: string | null;
  /** `deploying` / `rolling_back`: recorded before the hook is called, replaced once the outcome is known. */
  readonly outcome: 'deploying' | 'deployed' | 'failed' | 'rolling_back' | 'rolled_back' | 'rollback_failed';
  readonly cause: string | null;
  readonly duration_ms: number;
}

/** The deployment record of an upgrade: what was deployed where, by whom, with durations. */
export interface DeploymentRecord {
  readonly mode: DeploySpec['mode'];
  readonly requested_by: string;
  readonly replicas: readonly ReplicaRecord[];
  readonly rollback: readonly ReplicaRecord[];
  readonly continued_by: string | null;
  readonly waiting_since: string | null;
  readonly task_token: string | null;
  readonly smoke_test: { ok: boolean; intent_id: string; error: string | null; at: string } | null;
}
