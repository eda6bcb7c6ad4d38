import { MAX_SHARDS } from './adapters/dynamodb/fence-store.ts';
import { type TableNames, tableNamesFor } from './adapters/dynamodb/tables.ts';
import { type ApprovalPolicy, ApprovalPolicyError, approvalPolicyFrom } from './approval/approval-policy.ts';
import { SHARED_ADMIN_PRINCIPAL } from './domain/audited.ts';
import { outboundPolicy, refusedUrl } from './net/outbound-url.ts';

/** How the API authenticates callers: bearer tokens (local) or IAM through API Gateway (AWS). */
export type AuthMode = 'token' | 'iam';

/** Everything the control plane reads from its environment, checked once at cold start. */
export interface Config {
  readonly tables: TableNames;
  readonly dynamoEndpoint: string | undefined;
  readonly region: string | undefined;
  readonly shardCount: number;
  readonly initialVersion: string;
  readonly auth:
    | {
        mode: 'token';
        adminToken: string;
        intentToken: string;
        /** Operators' own tokens (OPERATOR_TOKENS, JSON name -> token): admin access under their name. */
        operators: Readonly<Record<string, string>>;
      }
    | { mode: 'iam' };
  /** Alarms a bake may name (BAKE_ALARMS, set on AWS); null (unset, locally): any. */
  readonly bakeAlarms: readonly string[] | null;
  /** Who approves upgrades (APPROVERS, ...); null: upgrades start directly. */
  readonly approval: ApprovalPolicy | null;
  /** Where proposal announcements go: an SNS topic (AWS), else a log line and this webhook if set. */
  readonly proposalTopicArn: string | undefined;
  readonly proposalWebhookUrl: string | undefined;
  readonly checkpointBucket: string;
  readonly s3Endpoint: string | undefined;
  readonly retentionDays: number;
  readonly minUpgradeIntervalSecs: number;
  readonly pollIntervalSecs: number;
  readonly versionCacheMs: number;
  /** How long one protocol rollout tick may convert intents before it saves its place (PROTOCOL_TICK_BUDGET_MS). */
  readonly protocolTickBudgetMs: number;
  /** Each DynamoDB request's own timeout (DYNAMODB_REQUEST_TIMEOUT_MS); the SDK retries a timed-out one. */
  readonly dynamoRequestTimeoutMs: number;
  /** Each S3 request's own timeout (S3_REQUEST_TIMEOUT_MS); the SDK retries a timed-out one. */
  readonly s3RequestTimeoutMs: number;
  /** How far apart the clocks of registrants and admin calls may be (FENCE_CLOCK_SKEW_MS); see docs/fence-design.md. */
  readonly fenceClockSkewMs: number;
  /** Set on AWS: the upgrade state machine. Unset locally, where the embedded interpreter runs the same file. */
  readonly stateMachineArn: string | undefined;
  readonly checkpointSources: readonly SourceSpec[];
  /** EventBridge Scheduler group and the role it assumes (AWS); unset locally. */
  readonly scheduleGroup: string | undefined;
  readonly schedulerRoleArn: string | undefined;
  /** The real chain for contract migrations on AWS (CHAIN_RPC_ENDPOINT set); unset locally, where it is simulated. */
  readonly chain:
    | {
        rpcEndpoint: string;
        chainId: string;
        prefix: string;
        gasPrice: string;
        gasAdjustment: number;
        /** How often a broadcast transaction is looked for in a block (CHAIN_BROADCAST_POLL_MS, default 3 s). */
        broadcastPollMs: number;
        signerSecretId: string | null;
        dataDir: string;
      }
    | undefined;
  /** Weekly UTC windows when scheduled upgrades may start ("Sat 02:00-06:00, Wed 22:00-23:00"); empty: any time. */
  readonly maintenanceWindows: string | undefined;
}

/** A checkpoint source named in CHECKPOINT_SOURCES (JSON). */
export type SourceSpec =
  | { name: string; type: 'http'; url: string }
  | { name: string; type: 'dynamodb'; table: string };

function parseSources(raw: string | undefined, env: NodeJS.ProcessEnv): SourceSpec[] {
  if (!raw) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError(
      'CHECKPOINT_SOURCES must be JSON: [{"name":"order_book","type":"http","url":"..."}]',
    );
  }
  const ok = (x: unknown): x is SourceSpec => {
    const o = x as Record<string, unknown>;
    return (
      typeof o?.name === 'string' &&
      /^[a-z][a-z0-9_]{0,39}$/.test(o.name) &&
      ((o.type === 'http' && typeof o.url === 'string') ||
        (o.type === 'dynamodb' && typeof o.table === 'string'))
    );
  };
  if (!Array.isArray(parsed) || !parsed.every(ok)) {
    throw new ConfigError(
      'CHECKPOINT_SOURCES entries need a snake_case name and type http (url) or dynamodb (table)',
    );
  }
  for (const s of parsed) {
    const why = s.type === 'http' ? refusedUrl(s.url, outboundPolicy(env)) : null;
    if (why) throw new ConfigError(`CHECKPOINT_SOURCES: the url of ${s.name} ${why}`);
  }
  return parsed;
}

export class ConfigError extends Error {}

function approvalPolicy(env: NodeJS.ProcessEnv): ApprovalPolicy | null {
  try {
    return approvalPolicyFrom(env);
  } catch (err) {
    if (err instanceof ApprovalPolicyError) throw new ConfigError(err.message);
    throw err;
  }
}

const OPERATOR_NAME = /^[a-z][a-z0-9._-]{0,31}$/;

/** OPERATOR_TOKENS: {"alice": "<token>", ...}; names are lower-case, tokens at least 16 characters. */
function parseOperators(raw: string | undefined): Record<string, string> {
  if (!raw) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError('OPERATOR_TOKENS must be JSON: {"alice": "<token>"}');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new ConfigError('OPERATOR_TOKENS must be a JSON object of name -> token');
  for (const [name, token] of Object.entries(parsed)) {
    if (!OPERATOR_NAME.test(name) || name === SHARED_ADMIN_PRINCIPAL)
      throw new ConfigError(`OPERATOR_TOKENS: "${name}" is not a valid operator name (a-z, 0-9, . _ -)`);
    if (typeof token !== 'string' || token.length < 16)
      throw new ConfigError(
        `OPERATOR_TOKENS: the token of ${name} must be a string of at least 16 characters`,
      );
  }
  return parsed as Record<string, string>;
}

const intFromEnv = (
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number => {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return n;
};

const required = (env: NodeJS.ProcessEnv, name: string): string => {
  const v = env[name];
  if (!v) throw new ConfigError(`${name} must be set`);
  return v;
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const prefix = env.TABLE_PREFIX || 'ucp';
  const defaults = tableNamesFor(prefix);
  const authMode = (env.AUTH_MODE || 'token') as AuthMode;
  if (authMode !== 'token' && authMode !== 'iam')
    throw new ConfigError(`AUTH_MODE must be token or iam, got "${authMode}"`);
  return {
    tables: {
      control: env.CONTROL_TABLE || defaults.control,
      intents: env.INTENTS_TABLE || defaults.intents,
    },
    dynamoEndpoint: env.DYNAMODB_ENDPOINT || undefined,
    region: env.AWS_REGION || undefined,
    shardCount: intFromEnv(env, 'FENCE_SHARDS', 64, 1, MAX_SHARDS),
    initialVersion: env.INITIAL_VERSION || '1.0.0',
    auth:
      authMode === 'iam'
        ? { mode: 'iam' }
        : {
            mode: 'token',
            adminToken: required(env, 'ADMIN_TOKEN'),
            intentToken: required(env, 'INTENT_TOKEN'),
            operators: parseOperators(env.OPERATOR_TOKENS),
          },
    approval: approvalPolicy(env),
    bakeAlarms:
      env.BAKE_ALARMS === undefined
        ? null
        : env.BAKE_ALARMS.split(',')
            .map((x) => x.trim())
            .filter(Boolean),
    proposalTopicArn: env.PROPOSAL_TOPIC_ARN || undefined,
    proposalWebhookUrl: env.PROPOSAL_WEBHOOK_URL || undefined,
    checkpointBucket: env.CHECKPOINT_BUCKET || 'ucp-checkpoints',
    s3Endpoint: env.S3_ENDPOINT || undefined,
    retentionDays: intFromEnv(env, 'RETENTION_DAYS', 30, 1, 3650),
    minUpgradeIntervalSecs: intFromEnv(env, 'MIN_UPGRADE_INTERVAL_SECS', 86_400, 0, 365 * 86_400),
    pollIntervalSecs: intFromEnv(env, 'WORKFLOW_POLL_INTERVAL_SECS', 5, 1, 300),
    versionCacheMs: intFromEnv(env, 'VERSION_CACHE_MS', 10_000, 0, 600_000),
    protocolTickBudgetMs: intFromEnv(env, 'PROTOCOL_TICK_BUDGET_MS', 40_000, 100, 600_000),
    dynamoRequestTimeoutMs: intFromEnv(env, 'DYNAMODB_REQUEST_TIMEOUT_MS', 3_000, 100, 60_000),
    s3RequestTimeoutMs: intFromEnv(env, 'S3_REQUEST_TIMEOUT_MS', 30_000, 100, 300_000),
    fenceClockSkewMs: intFromEnv(env, 'FENCE_CLOCK_SKEW_MS', 1_000, 0, 60_000),
    stateMachineArn: env.STATE_MACHINE_ARN || undefined,
    checkpointSources: parseSources(env.CHECKPOINT_SOURCES, env),
    scheduleGroup: env.SCHEDULE_GROUP || undefined,
    schedulerRoleArn: env.SCHEDULER_ROLE_ARN || undefined,
    maintenanceWindows: env.MAINTENANCE_WINDOWS || undefined,
    chain: env.CHAIN_RPC_ENDPOINT
      ? {
          rpcEndpoint: env.CHAIN_RPC_ENDPOINT,
          chainId: required(env, 'CHAIN_ID'),
          prefix: required(env, 'CHAIN_PREFIX'),
          gasPrice: required(env, 'CHAIN_GAS_PRICE'),
          gasAdjustment: Number(env.CHAIN_GAS_ADJUSTMENT || 1.4),
          broadcastPollMs: intFromEnv(env, 'CHAIN_BROADCAST_POLL_MS', 3_000, 100, 60_000),
          // On AWS the mnemonic is in Secrets Manager; elsewhere in the data folder (signer.mnemonic).
          signerSecretId: env.SIGNER_SECRET_ID || null,
          dataDir: env.DATA_DIR || '.data',
        }
      : undefined,
  };
}
