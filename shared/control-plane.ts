import { DynamoAuditLog } from './adapters/dynamodb/audit-log.ts';
import { makeDocumentClient } from './adapters/dynamodb/client.ts';
import { DynamoFenceStore } from './adapters/dynamodb/fence-store.ts';
import { DynamoIntentStore } from './adapters/dynamodb/intent-store.ts';
import type { Config } from './config.ts';
import { initialModeState } from './domain/drain-mode.ts';
import { DrainService } from './domain/drain-service.ts';
import { InflightService } from './domain/inflight-service.ts';
import { type AuditLog, type Clock, type FenceStore, systemClock } from './domain/ports.ts';

/** The services the handlers call, wired to DynamoDB. Built once per process (Lambda cold start or local start). */
export interface ControlPlane {
  readonly drain: DrainService;
  readonly inflight: InflightService;
  readonly fence: FenceStore;
  readonly audit: AuditLog;
  /** Creates the mode record and fence shards when missing. Safe to call on every start. */
  init(): Promise<void>;
}

export function buildControlPlane(config: Config, clock: Clock = systemClock): ControlPlane {
  const db = makeDocumentClient({ endpoint: config.dynamoEndpoint, region: config.region });
  const fence = new DynamoFenceStore(db, config.tables.control, config.shardCount);
  const intents = new DynamoIntentStore(db, config.tables, config.shardCount);
  const audit = new DynamoAuditLog(db, config.tables.control);
  const shardCount = config.shardCount;
  let initialised: Promise<void> | null = null;
  return {
    drain: new DrainService({ fence, intents, audit, clock, shardCount }),
    inflight: new InflightService({ fence, intents, clock }),
    fence,
    audit,
    init() {
      initialised ??= fence.init(initialModeState(config.initialVersion, clock.now())).catch((err) => {
        initialised = null;
        throw err;
      });
      return initialised;
    },
  };
}
