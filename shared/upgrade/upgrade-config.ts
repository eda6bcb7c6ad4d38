import { z } from 'zod';
import { ValidationError } from '../domain/errors.ts';
import { atMost } from './at-most.ts';
import { BakeSchema, type BakeSpec } from './bake/bake-spec.ts';
import { CheckSpecSchema } from './check-spec.ts';
import {
  COMPONENT_LIMITS,
  COMPONENTS_BUDGET_SECS,
  type Component,
  componentProblems,
  componentsWorstCaseSecs,
  planComponents,
} from './components/component-plan.ts';
import {
  ContractSchema,
  MAX_GOVERNANCE_TIMEOUT_SECS,
  NamedContractSchema,
  type NamedContractSpec,
} from './contract/contract-spec.ts';
import {
  DeploySchema,
  MAX_DEPLOY_TIMEOUT_SECS,
  REPLICA_BUDGET_SECS,
  replicaWorstCaseSecs,
  ServiceSchema,
  type ServiceSpec,
  SHORTHAND_SERVICE,
} from './deploy-spec.ts';
import { freeText } from './free-text-schema.ts';
import { jsonLimitProblem, MAX_CONFIG_DEPTH } from './json-limits.ts';
import { rollingProblems, STRATEGIES } from './rolling/rolling-spec.ts';

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
  replica_targets: COMPONENT_LIMITS.replicas,
  contracts: COMPONENT_LIMITS.contracts,
  services: COMPONENT_LIMITS.services,
  components_budget_secs: COMPONENTS_BUDGET_SECS,
  ibc_verify_timeout_secs: 3600,
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
    /** Why to go ahead although pending IBC packets may time out while the relayer is redeployed (audited). */
    override_ibc_timeouts_reason: freeText(500).optional(),
    /** How long after the resume (or a rollback) to wait for the checkpoint's pending IBC packets to be relayed. */
    ibc_verify_timeout_secs: z.number().int().min(0).max(L.ibc_verify_timeout_secs, atMost).default(120),
    /** The CosmWasm contracts to migrate, in order (see `order`). */
    contracts: z.array(NamedContractSchema).max(L.contracts, atMost).optional(),
    /** Shorthand for `contracts` with one entry (named `settlement` unless it says otherwise). */
    contract: ContractSchema.optional(),
    /** The backend services to deploy, each with its own deploy section, in order (see `order`). */
    services: z.array(ServiceSchema).max(L.services, atMost).optional(),
    /** Shorthand for `services` with one service, named `backend`. */
    deploy: DeploySchema.optional(),
    /** Component names (contracts and services) in the order to change them; default: contracts, then services. */
    order: z
      .array(z.string().min(1).max(64))
      .max(L.contracts + L.services)
      .optional(),
    /** Watch rollback triggers after resume before calling it a success. */
    bake: BakeSchema.optional(),
    /** A rolling release's canary: its first `replicas` rolled, then baked with these triggers, before the rest. */
    canary: z
      .strictObject({ replicas: z.number().int().min(1).max(10).default(1), bake: BakeSchema })
      .optional(),
    /** `rolling`: replica by replica with admission open (no drain, no record or contract change); default `drain`. */
    strategy: z.enum(STRATEGIES).default('drain'),
  })
  .superRefine((c, ctx) => {
    const stored = jsonLimitProblem(c, MAX_CONFIG_DEPTH);
    if (stored) ctx.addIssue({ code: 'custom', path: stored.path, message: stored.message });
    const { contracts, services } = componentsOf(c);
    for (const [one, many] of [
      ['contract', 'contracts'],
      ['deploy', 'services'],
    ] as const)
      if (c[one] !== undefined && c[many] !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: [one],
          message: `give ${one} (one) or ${many} (a list), not both`,
        });
    for (const p of componentProblems(contracts, services, c.order))
      ctx.addIssue({ code: 'custom', path: p.path, message: p.message });
    for (const p of rollingProblems(c, services))
      ctx.addIssue({ code: 'custom', path: p.path, message: p.message });
    if (c.bake && contracts.some((x) => x.governance))
      ctx.addIssue({
        code: 'custom',
        path: ['bake'],
        message:
          'a contract migrated by governance cannot be rolled back by this control plane, so it cannot bake: drop the bake or migrate directly',
      });
    if (c.target_version === undefined) {
      for (const field of ['contract', 'contracts', 'migrations', 'order'] as const)
        if (c[field] !== undefined)
          ctx.addIssue({
            code: 'custom',
            path: [field],
            message: `a maintenance upgrade (no target_version) changes no version: give target_version to use ${field}`,
          });
      if (services.length > 1 || services.some((x) => x.deploy.mode !== 'manual'))
        ctx.addIssue({
          code: 'custom',
          path: [c.services ? 'services' : 'deploy'],
          message:
            'a maintenance upgrade (no target_version) waits for the operator: deploy.mode must be manual, one service at most (or leave deploy out)',
        });
    }
    services.forEach(({ deploy: d }, i) => {
      if (d.mode === 'hooks' && replicaWorstCaseSecs(d) > REPLICA_BUDGET_SECS)
        ctx.addIssue({
          code: 'custom',
          path: c.services ? ['services', i, 'deploy'] : ['deploy'],
          message:
            `one replica could take ${Math.ceil(replicaWorstCaseSecs(d))} s, more than ${REPLICA_BUDGET_SECS} s: ` +
            'lower replica_timeout_secs, stabilize_secs, request_timeout_secs or retries ' +
            '(4 × request_timeout_secs × (retries + 1) + replica_timeout_secs + stabilize_secs)',
        });
    });
    const worst = componentsWorstCaseSecs(contracts, services) + (c.bake ? bakeWorstCaseSecs(c) : 0);
    if (worst > L.components_budget_secs)
      ctx.addIssue({
        code: 'custom',
        path: c.services ? ['services'] : c.contracts ? ['contracts'] : [],
        message:
          `the components could take ${Math.ceil(worst / 3600)} h together (governance and deploy waits, rollouts` +
          `${c.bake ? ', the bake and its rollback drain' : ''}), more than ${L.components_budget_secs / 3600} h: ` +
          'lower the timeouts or split the upgrade',
      });
  });

type Parsed = {
  contract?: NamedContractSpec;
  contracts?: NamedContractSpec[];
  deploy?: ServiceSpec['deploy'];
  services?: ServiceSpec[];
};

/** A request's contracts and services, the shorthands (`contract`, `deploy`) as one-entry lists. */
function componentsOf(c: Parsed): { contracts: NamedContractSpec[]; services: ServiceSpec[] } {
  return {
    contracts: c.contracts ?? (c.contract ? [c.contract] : []),
    services: c.services ?? (c.deploy ? [{ name: SHORTHAND_SERVICE, deploy: c.deploy }] : []),
  };
}

/** A bake and the rollback drain after it, at their longest. */
const bakeWorstCaseSecs = (c: { bake?: BakeSpec; drain_timeout_secs: number }): number =>
  (c.bake?.duration_secs ?? 0) + c.drain_timeout_secs;

/** An upgrade request as a caller may write it (every defaulted field may be absent). */
export type UpgradeRequest = z.input<typeof UpgradeRequestSchema>;

type Requested = z.output<typeof UpgradeRequestSchema>;

/** The seeds' UpgradeConfig with this project's defaults filled in: what the workflow runs on. */
export type UpgradeConfig = Readonly<
  Omit<
    Requested,
    | 'target_version'
    | 'migrations'
    | 'override_min_interval_reason'
    | 'contract'
    | 'contracts'
    | 'deploy'
    | 'services'
    | 'order'
    | 'bake'
  > & {
    /** Null for a maintenance upgrade until it is registered: then the running version (see RunConfig). */
    target_version: string | null;
    /** No target_version was asked for: the upgrade keeps the running version and waits for the operator. */
    maintenance: boolean;
    poll_interval_secs: number;
    migrations: readonly string[] | null;
    override_min_interval_reason: string | null;
    /** The contracts this upgrade migrates (the `contract` shorthand is one of them). */
    contracts: readonly NamedContractSpec[];
    /** The services it deploys (the `deploy` shorthand is one, named `backend`; a maintenance's wait is one). */
    services: readonly ServiceSpec[];
    /** Contracts and services in the order the workflow changes them (its iterator reads this). */
    components: readonly Component[];
    /** How many components (the workflow's iterator stops there). */
    component_count: number;
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
export const MAINTENANCE_DEPLOY: ServiceSpec['deploy'] = {
  mode: 'manual',
  deploy_timeout_secs: 3600,
  instructions:
    'maintenance: the system is drained and checkpointed; do the work, then POST /admin/drain/resume (with {"version": …} if you deployed a new protocol version)',
};

/** The name of a maintenance upgrade's wait for its operator, as a component. */
export const MAINTENANCE_SERVICE = 'maintenance';

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
  const { contract: _c, contracts: _cs, deploy: _d, services: _ss, order, ...r } = parsed.data;
  const maintenance = r.target_version === undefined;
  const listed = componentsOf(parsed.data);
  const contracts = listed.contracts;
  const services =
    maintenance && listed.services.length === 0
      ? [{ name: MAINTENANCE_SERVICE, deploy: MAINTENANCE_DEPLOY }]
      : listed.services;
  const components = planComponents(contracts, services, order ?? null);
  return {
    ...r,
    target_version: r.target_version ?? null,
    maintenance,
    poll_interval_secs: r.poll_interval_secs ?? pollIntervalSecs,
    migrations: r.migrations ?? null,
    override_min_interval_reason: r.override_min_interval_reason ?? null,
    contracts,
    services,
    components,
    component_count: components.length,
    bake: r.bake ?? null,
    bake_enabled: !!r.bake,
  };
}
