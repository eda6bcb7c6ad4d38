import { z } from 'zod';
import { ValidationError } from '../domain/errors.ts';
import { atMost } from './at-most.ts';
import { BakeSchema, type BakeSpec } from './bake/bake-spec.ts';
import { CheckSpecSchema } from './check-spec.ts';
import { ContractSchema, type ContractSpec, MAX_GOVERNANCE_TIMEOUT_SECS } from './contract/contract-spec.ts';
import {
  DeploySchema,
  type DeploySpec,
  MAX_DEPLOY_TIMEOUT_SECS,
  NO_DEPLOY,
  REPLICA_BUDGET_SECS,
  replicaWorstCaseSecs,
} from './deploy-spec.ts';
import { freeText } from './free-text-schema.ts';
import { jsonLimitProblem, MAX_CONFIG_DEPTH } from './json-limits.ts';

/**
 * The most an upgrade may ask for, so that its worst case fits the execution's timeout (24 days: the local
 * interpreter's timers hold at most 24.8) and its history stays far under 25,000 events
 * (test/workflow-budget.test.ts). The schemas below hold these limits; nothing checks them again.
 */
export const UPGRADE_LIMITS = {
  drain_timeout_secs: 3 * 86_400,
  deploy_timeout_secs: MAX_DEPLOY_TIMEOUT_SECS,
  governance_timeout_secs: MAX_GOVERNANCE_TIMEOUT_SECS,
  max_rollback_attempts: 10,
  rollback_retry_delay_secs: 3600,
  poll_interval_secs: 300,
  check_timeout_secs: 300,
  replica_targets: 100,
} as const;

const L = UPGRADE_LIMITS;
const version = z.string().min(1).max(64);
const STORES = [
  { name: 'settlement_store', type: 'dynamodb' as const },
  { name: 'checkpoint_store', type: 's3' as const },
];

/**
 * The seeds' UpgradeConfig as requested: each field's type, default and limit, defined once. Only reason is
 * required; the sections (contract, deploy, bake) are absent unless asked for. Without target_version it is a
 * maintenance upgrade on the running version (the operations guide's procedures): drain, checkpoint, then wait for
 * the operator, who ends it with POST /admin/drain/resume.
 */
export const UpgradeRequestSchema = z
  .strictObject({
    /** Absent: a maintenance upgrade on the running version (see MAINTENANCE_DEPLOY). */
    target_version: version.optional(),
    reason: freeText(500),
    drain_timeout_secs: z.number().int().min(1).max(L.drain_timeout_secs, atMost).default(1800),
    force_after_timeout: z.boolean().default(false),
    extend_timeout_secs: z
      .number()
      .int()
      .min(0)
      .max(7 * 86_400)
      .default(0),
    pre_checks: z.array(CheckSpecSchema).max(20).default(STORES),
    post_checks: z.array(CheckSpecSchema).max(20).default(STORES),
    /** Registered migration names to run in order; absent means the shortest path from the running version. */
    migrations: z.array(z.string().min(1).max(140)).max(50).optional(),
    dry_run: z.boolean().default(false),
    /** Let a Degraded pre-check through (it is reported); Unhealthy always stops the upgrade. */
    allow_degraded: z.boolean().default(false),
    max_rollback_attempts: z.number().int().min(1).max(L.max_rollback_attempts, atMost).default(3),
    rollback_retry_delay_secs: z.number().int().min(0).max(L.rollback_retry_delay_secs, atMost).default(30),
    check_timeout_secs: z.number().int().min(1).max(L.check_timeout_secs, atMost).default(30),
    /** Seconds between drain status checks: absent, the deployment's own (5 on AWS, shorter locally). */
    poll_interval_secs: z.number().int().min(1).max(L.poll_interval_secs, atMost).optional(),
    /** Versions no longer admitted once the upgrade resumes. */
    deprecate_versions: z.array(version).max(20).default([]),
    /** Why the minimum interval since the last upgrade is waived (audited); absent enforces it. */
    override_min_interval_reason: freeText(500).optional(),
    /** The CosmWasm contract to migrate in this upgrade. */
    contract: ContractSchema.optional(),
    /** How the new backend version is deployed between migration and post-checks. */
    deploy: DeploySchema.optional(),
    /** Watch rollback triggers after resume before calling it a success. */
    bake: BakeSchema.optional(),
  })
  .superRefine((c, ctx) => {
    const stored = jsonLimitProblem(c, MAX_CONFIG_DEPTH);
    if (stored) ctx.addIssue({ code: 'custom', path: stored.path, message: stored.message });
    if (c.bake && c.contract?.governance)
      ctx.addIssue({
        code: 'custom',
        path: ['bake'],
        message:
          'a contract migrated by governance cannot be rolled back by this control plane, so it cannot bake: drop the bake or migrate directly',
      });
    if (c.target_version === undefined) {
      for (const field of ['contract', 'migrations'] as const)
        if (c[field] !== undefined)
          ctx.addIssue({
            code: 'custom',
            path: [field],
            message: `a maintenance upgrade (no target_version) changes no version: give target_version to use ${field}`,
          });
      if (c.deploy && c.deploy.mode !== 'manual')
        ctx.addIssue({
          code: 'custom',
          path: ['deploy', 'mode'],
          message:
            'a maintenance upgrade (no target_version) waits for the operator: deploy.mode must be manual (or leave deploy out)',
        });
    }
    const d = c.deploy;
    if (d?.mode === 'hooks' && replicaWorstCaseSecs(d) > REPLICA_BUDGET_SECS)
      ctx.addIssue({
        code: 'custom',
        path: ['deploy'],
        message:
          `one replica could take ${Math.ceil(replicaWorstCaseSecs(d))} s, more than ${REPLICA_BUDGET_SECS} s: ` +
          'lower replica_timeout_secs, stabilize_secs, request_timeout_secs or retries ' +
          '(4 × request_timeout_secs × (retries + 1) + replica_timeout_secs + stabilize_secs)',
      });
  });

/** An upgrade request as a caller may write it (every defaulted field may be absent). */
export type UpgradeRequest = z.input<typeof UpgradeRequestSchema>;

type Requested = z.output<typeof UpgradeRequestSchema>;

/** The seeds' UpgradeConfig with this project's defaults filled in: what the workflow runs on. */
export type UpgradeConfig = Readonly<
  Omit<
    Requested,
    'target_version' | 'migrations' | 'override_min_interval_reason' | 'contract' | 'deploy' | 'bake'
  > & {
    /** Null for a maintenance upgrade until it is registered: then the running version (see RunConfig). */
    target_version: string | null;
    /** No target_version was asked for: the upgrade keeps the running version and waits for the operator. */
    maintenance: boolean;
    poll_interval_secs: number;
    migrations: readonly string[] | null;
    override_min_interval_reason: string | null;
    contract: ContractSpec | null;
    /** Derived from `contract`: none, direct (this control plane migrates) or governance (a proposal does). */
    contract_mode: 'none' | 'direct' | 'governance';
    /** Governance mode: how long to wait for the confirmation (0 otherwise). */
    contract_governance_timeout_secs: number;
    /** Mode none: deploying is not part of this upgrade. */
    deploy: DeploySpec;
    bake: BakeSpec | null;
    /** Derived from `bake` (the workflow's Choice reads a boolean). */
    bake_enabled: boolean;
  }
>;

/** The config of a registered upgrade, as its workflow runs it: the target is known (the running one for maintenance). */
export type RunConfig = UpgradeConfig & { readonly target_version: string };

/** The config a registered upgrade runs: a maintenance upgrade's target is the version running when it starts. */
export const runConfig = (config: UpgradeConfig, runningVersion: string): RunConfig => ({
  ...config,
  target_version: config.target_version ?? runningVersion,
});

/** What a maintenance upgrade waits for when its request has no deploy section: the operator, for up to an hour. */
export const MAINTENANCE_DEPLOY: DeploySpec = {
  mode: 'manual',
  deploy_timeout_secs: 3600,
  instructions:
    'maintenance: the system is drained and checkpointed; do the work, then POST /admin/drain/resume (with {"version": …} if you deployed a new protocol version)',
};

export const DEFAULT_MIN_UPGRADE_INTERVAL_SECS = 86_400;

/**
 * An UpgradeConfig from a request: every field the request leaves out takes its default (the drain poll interval,
 * `pollIntervalSecs`). Throws a ValidationError naming each field the schema refuses (UPGRADE_LIMITS among them).
 */
export function withDefaults(request: UpgradeRequest, pollIntervalSecs: number): UpgradeConfig {
  const parsed = UpgradeRequestSchema.safeParse(request);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.map(String).join('.')} ${i.message}`.trim());
    throw new ValidationError(problems.join('; '), { limits: UPGRADE_LIMITS });
  }
  const r = parsed.data;
  const maintenance = r.target_version === undefined;
  return {
    ...r,
    target_version: r.target_version ?? null,
    maintenance,
    poll_interval_secs: r.poll_interval_secs ?? pollIntervalSecs,
    migrations: r.migrations ?? null,
    override_min_interval_reason: r.override_min_interval_reason ?? null,
    contract: r.contract ?? null,
    contract_mode: r.contract ? (r.contract.governance ? 'governance' : 'direct') : 'none',
    contract_governance_timeout_secs: r.contract?.governance?.timeout_secs ?? 0,
    deploy: r.deploy ?? (maintenance ? MAINTENANCE_DEPLOY : NO_DEPLOY),
    bake: r.bake ?? null,
    bake_enabled: !!r.bake,
  };
}
