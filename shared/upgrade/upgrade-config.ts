import { ValidationError } from '../domain/errors.ts';
import { type BakeRequest, type BakeSpec, bakeProblems, bakeWithDefaults } from './bake/bake-spec.ts';
import type { CheckSpec } from './check-spec.ts';
import type { ContractSpec } from './contract/contract-spec.ts';
import {
  type DeploySpec,
  NO_DEPLOY,
  REPLICA_BUDGET_SECS,
  type ReplicaTarget,
  replicaWorstCaseSecs,
} from './deploy-spec.ts';

/** The seeds' UpgradeConfig with this project's defaults filled in: what the workflow runs on. */
export interface UpgradeConfig {
  readonly target_version: string;
  readonly reason: string;
  readonly drain_timeout_secs: number;
  readonly force_after_timeout: boolean;
  readonly extend_timeout_secs: number;
  readonly pre_checks: readonly CheckSpec[];
  readonly post_checks: readonly CheckSpec[];
  /** Registered migration names to run in order; null means the shortest path from the running version. */
  readonly migrations: readonly string[] | null;
  readonly dry_run: boolean;
  /** Let a Degraded pre-check through (it is reported); Unhealthy always stops the upgrade. */
  readonly allow_degraded: boolean;
  readonly max_rollback_attempts: number;
  readonly rollback_retry_delay_secs: number;
  readonly check_timeout_secs: number;
  /** Seconds between drain status checks: 5 on AWS, shorter locally. */
  readonly poll_interval_secs: number;
  /** Versions no longer admitted once the upgrade resumes. */
  readonly deprecate_versions: readonly string[];
  /** Why the minimum interval since the last upgrade is waived (audited); null enforces it. */
  readonly override_min_interval_reason: string | null;
  /** The CosmWasm contract to migrate in this upgrade (null: none). */
  readonly contract: ContractSpec | null;
  /** Derived from `contract`: none, direct (this control plane migrates) or governance (a proposal does). */
  readonly contract_mode: 'none' | 'direct' | 'governance';
  /** Governance mode: how long to wait for the confirmation (0 otherwise). */
  readonly contract_governance_timeout_secs: number;
  /** How the new backend version is deployed between migration and post-checks (mode none: not part of this upgrade). */
  readonly deploy: DeploySpec;
  /** Watch rollback triggers after resume before calling it a success (null: no bake). */
  readonly bake: BakeSpec | null;
  /** Derived from `bake` (the workflow's Choice reads a boolean). */
  readonly bake_enabled: boolean;
}

export const UPGRADE_DEFAULTS = {
  drain_timeout_secs: 1800,
  force_after_timeout: false,
  extend_timeout_secs: 0,
  pre_checks: [
    { name: 'settlement_store', type: 'dynamodb' },
    { name: 'checkpoint_store', type: 's3' },
  ],
  post_checks: [
    { name: 'settlement_store', type: 'dynamodb' },
    { name: 'checkpoint_store', type: 's3' },
  ],
  migrations: null,
  dry_run: false,
  allow_degraded: false,
  max_rollback_attempts: 3,
  rollback_retry_delay_secs: 30,
  check_timeout_secs: 30,
  deprecate_versions: [],
  override_min_interval_reason: null,
  contract: null,
  contract_mode: 'none',
  contract_governance_timeout_secs: 0,
  deploy: NO_DEPLOY,
  bake: null,
  bake_enabled: false,
} as const satisfies Partial<UpgradeConfig>;

export const DEFAULT_MIN_UPGRADE_INTERVAL_SECS = 86_400;

/** The request fields as validated at the API (every optional field may be absent). */
export type UpgradeRequest = Partial<
  Omit<
    UpgradeConfig,
    | 'target_version'
    | 'reason'
    | 'migrations'
    | 'contract'
    | 'deploy'
    | 'contract_mode'
    | 'contract_governance_timeout_secs'
    | 'bake'
    | 'bake_enabled'
  >
> & {
  readonly target_version: string;
  readonly reason: string;
  readonly migrations?: readonly string[] | undefined;
  readonly contract?: ContractSpec | undefined;
  readonly deploy?: DeployRequest | undefined;
  readonly bake?: BakeRequest | undefined;
};

/** The deploy section as requested: defaults fill what is left out. */
export type DeployRequest =
  | { mode: 'manual'; deploy_timeout_secs?: number | undefined; instructions?: string | undefined }
  | {
      mode: 'hooks';
      targets: ReplicaTarget[];
      max_parallel?: number | undefined;
      replica_timeout_secs?: number | undefined;
      stabilize_secs?: number | undefined;
      request_timeout_secs?: number | undefined;
      retries?: number | undefined;
    };

function deployWithDefaults(d: DeployRequest | undefined): DeploySpec {
  if (!d) return NO_DEPLOY;
  if (d.mode === 'manual') {
    return {
      mode: 'manual',
      deploy_timeout_secs: d.deploy_timeout_secs ?? 3600,
      instructions: d.instructions ?? null,
    };
  }
  return {
    mode: 'hooks',
    targets: d.targets,
    max_parallel: d.max_parallel ?? 1,
    replica_timeout_secs: d.replica_timeout_secs ?? 120,
    stabilize_secs: d.stabilize_secs ?? 0,
    request_timeout_secs: d.request_timeout_secs ?? 10,
    retries: d.retries ?? 2,
  };
}

/**
 * The most an upgrade may ask for, so that its worst case fits the execution's timeout (24 days: the local
 * interpreter's timers hold at most 24.8) and its history stays far under 25,000 events
 * (test/workflow-budget.test.ts). Tighter than some API schemas: withDefaults refuses the rest with a 400.
 */
export const UPGRADE_LIMITS = {
  drain_timeout_secs: 3 * 86_400,
  deploy_timeout_secs: 3 * 86_400,
  governance_timeout_secs: 14 * 86_400,
  max_rollback_attempts: 10,
  rollback_retry_delay_secs: 3600,
  poll_interval_secs: 300,
  check_timeout_secs: 300,
  replica_targets: 100,
} as const;

/** What in `c` exceeds UPGRADE_LIMITS (or makes one replica's deploy outgrow its Task), as messages. */
export function limitProblems(c: UpgradeConfig): string[] {
  const L = UPGRADE_LIMITS;
  const over = (field: string, value: number, max: number) =>
    value > max ? [`${field} must be at most ${max} (got ${value})`] : [];
  const d = c.deploy;
  return [
    ...bakeProblems(c.bake, c.contract_mode),
    ...over('drain_timeout_secs', c.drain_timeout_secs, L.drain_timeout_secs),
    ...over('max_rollback_attempts', c.max_rollback_attempts, L.max_rollback_attempts),
    ...over('rollback_retry_delay_secs', c.rollback_retry_delay_secs, L.rollback_retry_delay_secs),
    ...over('poll_interval_secs', c.poll_interval_secs, L.poll_interval_secs),
    ...over('check_timeout_secs', c.check_timeout_secs, L.check_timeout_secs),
    ...over(
      'contract.governance.timeout_secs',
      c.contract_governance_timeout_secs,
      L.governance_timeout_secs,
    ),
    ...(d.mode === 'manual'
      ? over('deploy.deploy_timeout_secs', d.deploy_timeout_secs, L.deploy_timeout_secs)
      : []),
    ...(d.mode === 'hooks' ? over('deploy.targets (count)', d.targets.length, L.replica_targets) : []),
    ...(d.mode === 'hooks' && replicaWorstCaseSecs(d) > REPLICA_BUDGET_SECS
      ? [
          `deploy: one replica could take ${Math.ceil(replicaWorstCaseSecs(d))} s, more than ${REPLICA_BUDGET_SECS} s: ` +
            'lower replica_timeout_secs, stabilize_secs, request_timeout_secs or retries ' +
            '(4 × request_timeout_secs × (retries + 1) + replica_timeout_secs + stabilize_secs)',
        ]
      : []),
  ];
}

/**
 * An UpgradeConfig from a request: every field the request leaves out takes the seeds' default. Throws a
 * ValidationError naming each field over UPGRADE_LIMITS.
 */
export function withDefaults(request: UpgradeRequest, pollIntervalSecs: number): UpgradeConfig {
  const config = fillDefaults(request, pollIntervalSecs);
  const problems = limitProblems(config);
  if (problems.length) throw new ValidationError(problems.join('; '), { limits: UPGRADE_LIMITS });
  return config;
}

function fillDefaults(request: UpgradeRequest, pollIntervalSecs: number): UpgradeConfig {
  return {
    ...UPGRADE_DEFAULTS,
    poll_interval_secs: pollIntervalSecs,
    ...request,
    migrations: request.migrations ?? null,
    override_min_interval_reason: request.override_min_interval_reason ?? null,
    contract: request.contract ?? null,
    contract_mode: request.contract ? (request.contract.governance ? 'governance' : 'direct') : 'none',
    contract_governance_timeout_secs: request.contract?.governance?.timeout_secs ?? 0,
    deploy: deployWithDefaults(request.deploy),
    bake: bakeWithDefaults(request.bake),
    bake_enabled: !!request.bake,
  } as UpgradeConfig;
}
