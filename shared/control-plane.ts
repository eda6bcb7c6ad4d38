import { DynamoCheckpointIndex } from './adapters/dynamodb/checkpoint-index.ts';
import { DynamoProposalStore } from './adapters/dynamodb/proposal-store.ts';
import { DynamoRecordStore } from './adapters/dynamodb/record-store.ts';
import { dynamoTableSource } from './adapters/dynamodb/table-source.ts';
import { DynamoUpgradeStore } from './adapters/dynamodb/upgrade-store.ts';
import { S3ObjectStore } from './adapters/s3/s3-object-store.ts';
import type { ChainPort } from './chain/chain-port.ts';
import type { IbcReader } from './chain/ibc-reader.ts';
import { CheckpointService } from './checkpoint/checkpoint-service.ts';
import { httpSource } from './checkpoint/sources/http-source.ts';
import { type Config, ConfigError } from './config.ts';
import { buildCorePlane, type CoreParts, type CorePlane } from './core-plane.ts';
import { type Clock, systemClock } from './domain/ports.ts';
import { type HealthCheck, httpCheck, probeCheck } from './health/health.ts';
import { MigrationRegistry } from './migration/migration.ts';
import { PROTOCOL_MIGRATIONS } from './migration/protocol-migrations.ts';
import type { CheckSpec } from './upgrade/check-spec.ts';
import type { UpgradeServices } from './upgrade/upgrade-services.ts';

/** The services the admin routes and workflow tasks call: the core plus the upgrade services (S3, checkpoints). */
export interface ControlPlane extends CorePlane {
  readonly upgrade: UpgradeServices;
}

/**
 * The control plane of a configuration. `chain` is where the contract steps get their chain: the embedded runtime
 * passes its simulated one, a chain Task on AWS its CosmJS client; without it a contract step fails naming the
 * setting to give.
 */
export function buildControlPlane(
  config: Config,
  clock: Clock = systemClock,
  core: CoreParts = buildCorePlane(config, clock),
  chain: (() => ChainPort) | null = null,
  ibc: (() => IbcReader) | null = null,
): ControlPlane {
  const { db, drain, inflight, fence, audit, outcomes } = core;
  const registry = new MigrationRegistry(PROTOCOL_MIGRATIONS);
  const objects = new S3ObjectStore({
    bucket: config.checkpointBucket,
    endpoint: config.s3Endpoint,
    region: config.region,
    requestTimeoutMs: config.s3RequestTimeoutMs,
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
  return {
    drain,
    inflight,
    fence,
    audit,
    outcomes,
    init: () => core.init(),
    upgrade: {
      drain,
      inflight,
      fence,
      audit,
      upgrades: new DynamoUpgradeStore(db, config.tables.control),
      outcomes,
      proposals: new DynamoProposalStore(db, config.tables.control),
      approval: config.approval,
      bakeAlarms: config.bakeAlarms,
      checkpoints,
      records,
      registry,
      checksFor,
      clock,
      minUpgradeIntervalSecs: config.minUpgradeIntervalSecs,
      pollIntervalSecs: config.pollIntervalSecs,
      chain: () => {
        if (chain) return chain();
        throw new ConfigError(
          'no chain is configured for contract migration: the embedded runtime provides a simulated one; on AWS deploy with -c chainRpcEndpoint=... (CHAIN_RPC_ENDPOINT)',
        );
      },
      ibc,
    },
  };
}
