import { z } from 'zod';
import { MAX_DRAIN_TIMEOUT_SECS } from '../../shared/domain/drain-mode.ts';
import { refusedUrl } from '../../shared/net/outbound-url.ts';

/** Request shapes of the API. Objects are strict: an unknown field is an error that names it. */
export {
  DrainForceBody,
  DrainResumeBody,
  DrainStartBody,
  EmptyBody,
  InflightQuery,
  intentIdFrom,
  PatchIntentBody,
  RegisterIntentBody,
} from './drain-schemas.ts';

/** A URL the control plane will call: http(s), no credentials, no link-local or metadata (or, on AWS, internal) host. */
const httpUrl = z
  .string()
  .max(2048)
  .superRefine((url, ctx) => {
    const why = refusedUrl(url);
    if (why) ctx.addIssue({ code: 'custom', message: why });
  });

const version = z.string().min(1).max(64);
const checkName = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be snake_case, up to 40 characters');
const CheckSpecSchema = z.union([
  z.strictObject({ name: checkName, type: z.enum(['dynamodb', 's3']) }),
  z.strictObject({
    name: checkName,
    type: z.literal('http'),
    url: httpUrl,
    degraded_ok: z.boolean().optional(),
  }),
]);

const ReplicaSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1-64 letters, digits, . _ -'),
  deploy_url: httpUrl,
  health_url: httpUrl,
  version_url: httpUrl,
});
const DeploySchema = z.discriminatedUnion('mode', [
  z.strictObject({
    mode: z.literal('manual'),
    deploy_timeout_secs: z
      .number()
      .int()
      .min(1)
      .max(7 * 86_400)
      .optional(),
    instructions: z.string().min(1).max(2000).optional(),
  }),
  z.strictObject({
    mode: z.literal('hooks'),
    targets: z
      .array(ReplicaSchema)
      .min(1)
      .max(100)
      .refine((t) => new Set(t.map((r) => r.name)).size === t.length, 'replica names must be unique'),
    max_parallel: z.number().int().min(1).max(100).optional(),
    replica_timeout_secs: z.number().int().min(1).max(3600).optional(),
    stabilize_secs: z.number().int().min(0).max(3600).optional(),
    request_timeout_secs: z.number().int().min(1).max(300).optional(),
    retries: z.number().int().min(0).max(10).optional(),
  }),
]);

const StuckAction = z.union([
  z.enum(['preserve', 'refund_and_cancel']),
  z.strictObject({
    extend_timeout: z.strictObject({
      additional_seconds: z
        .number()
        .int()
        .min(1)
        .max(30 * 86_400),
    }),
  }),
]);
const ContractSchema = z.strictObject({
  address: z.string().regex(/^[a-z0-9]{1,20}1[02-9ac-hj-np-z]{6,90}$/, 'must be a bech32 contract address'),
  new_code_id: z.number().int().min(1),
  expected_checksum: z.string().regex(/^[0-9a-fA-F]{64}$/, "must be the 64 hex digits of the code's SHA-256"),
  migrate_msg: z.strictObject({
    new_version: version,
    config: z
      .strictObject({
        preserve_inflight: z.boolean().optional(),
        stuck_settlement_action: StuckAction.optional(),
        extend_timeout_secs: z
          .number()
          .int()
          .min(1)
          .max(30 * 86_400)
          .optional(),
        new_config: z.record(z.string(), z.unknown()).optional(),
      })
      .optional(),
  }),
  expected_version: version.optional(),
  governance: z
    .strictObject({
      timeout_secs: z
        .number()
        .int()
        .min(1)
        .max(30 * 86_400),
    })
    .optional(),
});

/** The bake after resume: how long, how often, and what rolls the upgrade back (README "Bake"). */
const BakeSchema = z.strictObject({
  duration_secs: z.number().int().min(1).max(86_400),
  warmup_secs: z.number().int().min(0).max(86_400).optional(),
  check_interval_secs: z.number().int().min(1).max(3600).optional(),
  triggers: z
    .array(
      z.discriminatedUnion('type', [
        z.strictObject({
          type: z.literal('alarm'),
          names: z
            .array(z.string().regex(/^[A-Za-z0-9 ._\-/#:()]{1,255}$/, 'must be a CloudWatch alarm name'))
            .min(1)
            .max(20),
        }),
        z.strictObject({
          type: z.literal('health'),
          check: CheckSpecSchema,
          consecutive: z.number().int().min(1).max(100).optional(),
        }),
        z.strictObject({
          type: z.literal('stuck_inflight'),
          max_age_secs: z.number().int().min(1).max(86_400),
        }),
        z.strictObject({
          type: z.literal('intent_failures'),
          max_pct: z.number().min(0).max(100),
          min_samples: z.number().int().min(1).max(1_000_000).optional(),
        }),
      ]),
    )
    .min(1)
    .max(10),
});

/** The seeds' UpgradeConfig; only target_version and reason are required. */
export const UpgradeStartBody = z.strictObject({
  target_version: version,
  reason: z.string().min(1).max(500),
  drain_timeout_secs: z.number().int().min(1).max(MAX_DRAIN_TIMEOUT_SECS).optional(),
  force_after_timeout: z.boolean().optional(),
  extend_timeout_secs: z
    .number()
    .int()
    .min(0)
    .max(7 * 86_400)
    .optional(),
  pre_checks: z.array(CheckSpecSchema).max(20).optional(),
  post_checks: z.array(CheckSpecSchema).max(20).optional(),
  migrations: z.array(z.string().min(1).max(140)).max(50).optional(),
  dry_run: z.boolean().optional(),
  allow_degraded: z.boolean().optional(),
  max_rollback_attempts: z.number().int().min(1).max(10).optional(),
  rollback_retry_delay_secs: z.number().int().min(0).max(3600).optional(),
  check_timeout_secs: z.number().int().min(1).max(300).optional(),
  poll_interval_secs: z.number().int().min(1).max(300).optional(),
  deprecate_versions: z.array(version).max(20).optional(),
  override_min_interval_reason: z.string().min(1).max(500).optional(),
  contract: ContractSchema.optional(),
  deploy: DeploySchema.optional(),
  bake: BakeSchema.optional(),
});

export const ListQuery = z.strictObject({
  limit: z
    .string()
    .regex(/^[0-9]{1,3}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(1).max(200))
    .optional(),
});

export const CheckpointQuery = z.strictObject({ validate: z.enum(['true', 'false']).optional() });

/** A path parameter that names an upgrade or a checkpoint. */
export const resourceIdFrom = (path: Record<string, string>): string => {
  const id = path.id ?? '';
  return /^[A-Za-z0-9._-]{1,100}$/.test(id) ? id : '';
};

/** A schedule runs an upgrade config, or (with approvals on) an approved proposal named by its id. */
export const ScheduleCreateBody = z
  .strictObject({
    name: z.string().regex(/^[A-Za-z0-9_-]{1,48}$/, 'must be 1-48 letters, digits, _ or -'),
    schedule: z.string().min(4).max(256),
    upgrade: UpgradeStartBody.optional(),
    proposal_id: z
      .string()
      .regex(/^prop-[0-9T]{15}-[0-9a-f]{6}$/, 'must be a proposal id (prop-...)')
      .optional(),
  })
  .refine((b) => (b.upgrade === undefined) !== (b.proposal_id === undefined), {
    message: 'give either upgrade (a config) or proposal_id (an approved proposal), not both',
  });

export const ConfirmMigrationBody = z.strictObject({
  tx_hash: z
    .string()
    .regex(/^[0-9A-Fa-f]{64}$/, 'must be the 64 hex digits of the migration transaction hash'),
});
