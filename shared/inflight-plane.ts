import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoFenceStore } from './adapters/dynamodb/fence-store.ts';
import { DynamoIntentStore } from './adapters/dynamodb/intent-store.ts';
import { DynamoOutcomeLedger } from './adapters/dynamodb/outcome-ledger.ts';
import type { TableNames } from './adapters/dynamodb/tables.ts';
import { InflightService } from './domain/inflight-service.ts';
import type { Clock } from './domain/ports.ts';
import { MigrationRegistry } from './migration/migration.ts';
import { PROTOCOL_MIGRATIONS } from './migration/protocol-migrations.ts';

/** What the intent hot path runs on: the two tables, the fence's shard count and the clock allowances. */
export interface InflightSettings {
  readonly tables: TableNames;
  /** The deployment's FENCE_SHARDS (stored as `shard_count` in the mode record). */
  readonly shardCount: number;
  /** FENCE_CLOCK_SKEW_MS: how far apart registrants' and admin calls' clocks may be. */
  readonly fenceClockSkewMs: number;
  /** VERSION_CACHE_MS: how long the mode's versions are cached for registrations. */
  readonly versionCacheMs: number;
}

/** The inflight tracker and the DynamoDB adapters under it. */
export interface InflightParts {
  readonly fence: DynamoFenceStore;
  readonly intents: DynamoIntentStore;
  readonly outcomes: DynamoOutcomeLedger;
  readonly inflight: InflightService;
}

/**
 * The one composition of register, update and complete over DynamoDB: the intent Lambdas (through buildCorePlane)
 * and the producers' embedded client (client/intent-client.ts) both run this.
 */
export function buildInflight(db: DynamoDBDocumentClient, s: InflightSettings, clock: Clock): InflightParts {
  const fence = new DynamoFenceStore(db, s.tables.control, s.shardCount);
  const intents = new DynamoIntentStore(
    db,
    s.tables,
    s.shardCount,
    () => fence.snapshot(),
    s.fenceClockSkewMs,
  );
  const outcomes = new DynamoOutcomeLedger(db, s.tables.control);
  const inflight = new InflightService({
    fence,
    intents,
    clock,
    versionCacheMs: s.versionCacheMs,
    knownVersions: new MigrationRegistry(PROTOCOL_MIGRATIONS).versions(),
    outcomes,
  });
  return { fence, intents, outcomes, inflight };
}
