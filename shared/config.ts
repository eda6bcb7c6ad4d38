import { MAX_SHARDS } from './adapters/dynamodb/fence-store.ts';
import { type TableNames, tableNamesFor } from './adapters/dynamodb/tables.ts';

/** How the API authenticates callers: bearer tokens (local) or IAM through API Gateway (AWS). */
export type AuthMode = 'token' | 'iam';

/** Everything the control plane reads from its environment, checked once at cold start. */
export interface Config {
  readonly tables: TableNames;
  readonly dynamoEndpoint: string | undefined;
  readonly region: string | undefined;
  readonly shardCount: number;
  readonly initialVersion: string;
  readonly auth: { mode: 'token'; adminToken: string; intentToken: string } | { mode: 'iam' };
}

export class ConfigError extends Error {}

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
          },
  };
}
