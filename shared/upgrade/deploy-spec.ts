import { z } from 'zod';
import { atMost } from './at-most.ts';
import { HttpUrl } from './check-spec.ts';

/** The longest a rolling release waits for one drained replica's intents (its worst case fits the components budget). */
export const MAX_REPLICA_DRAIN_SECS = 3600;

/** The most one upgrade may wait for a manual deploy (with the other limits: UPGRADE_LIMITS). */
export const MAX_DEPLOY_TIMEOUT_SECS = 3 * 86_400;

/** One replica of a backend service, driven by its deploy hook and verified by its health and version URLs. */
const ReplicaSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1-64 letters, digits, . _ -'),
  deploy_url: HttpUrl,
  health_url: HttpUrl,
  version_url: HttpUrl,
  /** A rolling release: POST here stops the replica taking new intents (its load balancer sends them elsewhere). */
  drain_url: HttpUrl.optional(),
  /** A rolling release: POST here lets it take new intents again. */
  resume_url: HttpUrl.optional(),
});

/** The `deploy` section of an upgrade request, its defaults and limits: how the new version gets onto the replicas. */
export const DeploySchema = z.discriminatedUnion('mode', [
  z.strictObject({
    mode: z.literal('manual'),
    /** How long the workflow waits for the operator's continue signal before rolling back. */
    deploy_timeout_secs: z.number().int().min(1).max(MAX_DEPLOY_TIMEOUT_SECS, atMost).default(3600),
    instructions: z.string().min(1).max(2000).nullable().default(null),
  }),
  z.strictObject({
    mode: z.literal('hooks'),
    targets: z
      .array(ReplicaSchema)
      .min(1)
      .max(100)
      .refine((t) => new Set(t.map((r) => r.name)).size === t.length, 'replica names must be unique'),
    max_parallel: z.number().int().min(1).max(100).default(1),
    /** Per replica: deploy call answered, then healthy and on the target version, within this time. */
    replica_timeout_secs: z.number().int().min(1).max(3600).default(120),
    stabilize_secs: z.number().int().min(0).max(3600).default(0),
    /** A rolling release: how long a drained replica's own intents may take to finish before the release rolls back. */
    replica_drain_timeout_secs: z.number().int().min(1).max(MAX_REPLICA_DRAIN_SECS, atMost).default(600),
    /** Each HTTP call's own timeout. */
    request_timeout_secs: z.number().int().min(1).max(300).default(10),
    /** Retries of a failed HTTP call (deploy, health, version). */
    retries: z.number().int().min(0).max(10).default(2),
  }),
]);

/** One entry of `services`: a backend service by name, and how its new version is deployed. */
export const ServiceSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1-64 letters, digits, . _ - (a name for this service)'),
  deploy: DeploySchema,
  /** It relays IBC packets (default: its name says relayer): while it is redeployed, pending packets wait. */
  relays_ibc: z.boolean().optional(),
});

/** Whether redeploying this service stops IBC relaying. */
export const relaysIbc = (s: { name: string; relays_ibc?: boolean | undefined }): boolean =>
  s.relays_ibc ?? /relayer/i.test(s.name);

/** One service as the workflow deploys it. */
export type ServiceSpec = z.output<typeof ServiceSchema>;

/** The name the `deploy` shorthand gives its one service. */
export const SHORTHAND_SERVICE = 'backend';

/** One replica as the workflow deploys it. */
export type ReplicaTarget = z.output<typeof ReplicaSchema>;

/** The deploy section as the workflow runs it (mode none: no deploy in this upgrade). */
export type DeploySpec = { readonly mode: 'none' } | z.output<typeof DeploySchema>;

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
  /** The service it belongs to (absent in records written before services had names: the one service). */
  readonly service?: string;
  readonly name: string;
  readonly from: string | null;
  readonly to: string;
  readonly started_at: string;
  readonly healthy_at: string | null;
  /** `deploying` / `rolling_back`: recorded before the hook is called, replaced once the outcome is known. */
  readonly outcome:
    | 'draining'
    | 'deploying'
    | 'deployed'
    | 'failed'
    | 'rolling_back'
    | 'rolled_back'
    | 'rollback_failed';
  readonly cause: string | null;
  readonly duration_ms: number;
}

/**
 * The deployment record of an upgrade: what was deployed where, by whom, with durations. Replicas of every service
 * are in one list, in the order they were deployed (so the rollback, newest first, goes service by service back).
 */
export interface DeploymentRecord {
  readonly requested_by: string;
  readonly replicas: readonly ReplicaRecord[];
  readonly rollback: readonly ReplicaRecord[];
  /** The manual services whose deploy this upgrade waited for, in order (a rollback asks the operator to undo them). */
  readonly manual_started?: readonly string[];
  /** The manual service being waited for, its operator's go-ahead and the task token the wait holds. */
  readonly waiting_for?: string | null;
  readonly continued_by: string | null;
  readonly waiting_since: string | null;
  readonly task_token: string | null;
  readonly smoke_test: { ok: boolean; intent_id: string; error: string | null; at: string } | null;
}
