import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { ensureLocalTables } from '../../shared/adapters/dynamodb/bootstrap.ts';
import { tableNamesFor } from '../../shared/adapters/dynamodb/tables.ts';
import { type Config, loadConfig } from '../../shared/config.ts';
import { buildControlPlane, type ControlPlane } from '../../shared/control-plane.ts';
import type { Caller } from '../../shared/domain/audited.ts';

export const admin: Caller = { actor: 'test-admin', correlationId: 'test' };

/** Environment for a fresh, isolated set of tables on the run's DynamoDB Local. */
export function freshEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
    TABLE_PREFIX: `t${randomBytes(5).toString('hex')}`,
    FENCE_SHARDS: '8',
    AUTH_MODE: 'token',
    ADMIN_TOKEN: 'admin-secret-token',
    INTENT_TOKEN: 'intent-secret-token',
    S3_ENDPOINT: inject('s3Endpoint'),
    CHECKPOINT_BUCKET: 'ucp-test',
    MIN_UPGRADE_INTERVAL_SECS: '0',
    WORKFLOW_POLL_INTERVAL_SECS: '1',
    VERSION_CACHE_MS: '0',
    // One DynamoDB Local shared by a whole run on a loaded machine: as the local stack, a longer request timeout.
    DYNAMODB_REQUEST_TIMEOUT_MS: '10000',
    ...extra,
  };
}

export async function createTables(config: Config): Promise<void> {
  await ensureLocalTables(config.dynamoEndpoint as string, config.tables);
}

/** A control plane over new tables: the services the handlers use, on real DynamoDB Local. */
export async function freshControlPlane(
  extra: Record<string, string> = {},
): Promise<{ cp: ControlPlane; config: Config }> {
  const config = loadConfig(freshEnv(extra));
  await createTables(config);
  const cp = buildControlPlane(config);
  await cp.init();
  return { cp, config };
}

export { tableNamesFor };
