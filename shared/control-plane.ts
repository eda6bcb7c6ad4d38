import { DynamoAuditLog } from './adapters/dynamodb/audit-log.ts';
import { DynamoCheckpointIndex } from './adapters/dynamodb/checkpoint-index.ts';
import { makeDocumentClient } from './adapters/dynamodb/client.ts';
import { DynamoFenceStore } from './adapters/dynamodb/fence-store.ts';
import { DynamoIntentStore } from './adapters/dynamodb/intent-store.ts';
import { DynamoRecordStore } from './adapters/dynamodb/record-store.ts';
import { dynamoTableSource } from './adapters/dynamodb/table-source.ts';
import { DynamoUpgradeStore } from './adapters/dynamodb/upgrade-store.ts';
import { S3ObjectStore } from './adapters/s3/s3-object-store.ts';
import type { ChainPort } from './chain/chain-port.ts';
import { CheckpointService } from './checkpoint/checkpoint-service.ts';
import { httpSource } from './checkpoint/sources/http-source.ts';
import { type Config, ConfigError } from './config.ts';
import { initialModeState } from './domain/drain-mode.ts';
import { DrainService } from './domain/drain-service.ts';
import { InflightService } from './domain/inflight-service.ts';
import { type AuditLog, type Clock, type FenceStore, systemClock } from './domain/ports.ts';
import { type HealthCheck, httpCheck, probeCheck } from './health/health.ts';
import { MigrationRegistry } from './migration/migration.ts';
import { PROTOCOL_MIGRATIONS } from './migration/protocol-migrations.ts';
import type { CheckSpec } from './upgrade/upgrade-config.ts';
import type { UpgradeServices } from './upgrade/upgrade-services.ts';

/** The services the handlers call, wired to DynamoDB and S3. Built once per process (Lambda cold start or local start). */
export interface ControlPlane {
  readonly drain: DrainService;
  readonly inflight: InflightService;
  readonly fence: FenceStore;
  readonly audit: AuditLog;
  readonly upgrade: UpgradeServices;
  /** Creates the mode record and fence gates when missing. Safe to call on every start. */
  init(): Promise<void>;
}

/** Where the contract steps get their chain: the embedded runtime registers a simulated one; AWS needs CHAIN_* settings. */
let chainProvider: (() => ChainPort) | null = null;
export function useChain(provider: (() => ChainPort) | null): void {
  chainProvider = provider;
}

export function buildControlPlane(config: Config, clock: Clock = systemClock): ControlPlane {
  const db = makeDocumentClient({ endpoint: config.dynamoEndpoint, region: config.region });
  const fence = new DynamoFenceStore(db, config.tables.control, config.shardCount);
  const intents = new DynamoIntentStore(db, config.tables, config.shardCount);
  const audit = new DynamoAuditLog(db, config.tables.control);
  const shardCount = config.shardCount;
  const registry = new MigrationRegistry(PROTOCOL_MIGRATIONS);
  const drain = new DrainService({ fence, intents, audit, clock, shardCount });
  const inflight = new InflightService({
    fence,
    intents,
    clock,
    versionCacheMs: config.versionCacheMs,
    knownVersions: registry.versions(),
  });
  const objects = new S3ObjectStore({
    bucket: config.checkpointBucket,
    endpoint: config.s3Endpoint,
    region: config.region,
  });
  const records = new DynamoRecordStore(db, config.tables.intents);
  const sources = config.checkpointSources.map((s) =>
    s.type === 'http' ? httpSource(s.name, s.url) : dynamoTableSource(s.name, db, s.table),
  );
  const checkpoints = new CheckpointService({
    objects,
    index: new DynamoCheckpointIndex(db, config.tables.control),
    records,
    sources,
    clock,
    retentionDays: config.retentionDays,
    scanSegments: 4,
  });
  const checksFor = (specs: readonly CheckSpec[]): HealthCheck[] =>
    specs.map((spec) => {
      if (spec.type === 'http') return httpCheck(spec.name, spec.url);
      if (spec.type === 's3') return probeCheck(spec.name, () => objects.ping());
      return probeCheck(spec.name, () => fence.readMode());
    });
  let initialised: Promise<void> | null = null;
  return {
    drain,
    inflight,
    fence,
    audit,
    upgrade: {
      drain,
      inflight,
      fence,
      audit,
      upgrades: new DynamoUpgradeStore(db, config.tables.control),
      checkpoints,
      records,
      registry,
      checksFor,
      clock,
      minUpgradeIntervalSecs: config.minUpgradeIntervalSecs,
      pollIntervalSecs: config.pollIntervalSecs,
      chain: () => {
        if (chainProvider) return chainProvider();
        throw new ConfigError(
          'no chain is configured for contract migration: the embedded runtime provides a simulated one; on AWS deploy with -c chainRpcEndpoint=... (CHAIN_RPC_ENDPOINT)',
        );
      },
    },
    init() {
      initialised ??= fence.init(initialModeState(config.initialVersion, clock.now())).catch((err) => {
        initialised = null;
        throw err;
      });
      return initialised;
    },
  };
}
