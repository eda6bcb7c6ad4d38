import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoAuditLog } from './adapters/dynamodb/audit-log.ts';
import { makeDocumentClient } from './adapters/dynamodb/client.ts';
import type { Config } from './config.ts';
import { initialModeState } from './domain/drain-mode.ts';
import { DrainService } from './domain/drain-service.ts';
import type { InflightService } from './domain/inflight-service.ts';
import type { OutcomeLedger } from './domain/outcomes.ts';
import { type AuditLog, type Clock, type FenceStore, systemClock } from './domain/ports.ts';
import { buildInflight } from './inflight-plane.ts';

/**
 * The services of the drain and intent routes: the fence, the inflight tracker and the audit trail over DynamoDB.
 * Nothing else (no S3, no workflow engine, no chain), so the busiest functions' bundles hold only this.
 */
export interface CorePlane {
  readonly drain: DrainService;
  readonly inflight: InflightService;
  readonly fence: FenceStore;
  readonly audit: AuditLog;
  readonly outcomes: OutcomeLedger;
  /**
   * Creates the mode record and fence gates when missing (one consistent read when they exist). Only operator
   * actions call it: every other path only reads, and a missing record is a 503 `not_initialised`.
   */
  init(): Promise<void>;
}

/** The core services plus what a fuller composition reuses (the document client). */
export interface CoreParts extends CorePlane {
  readonly db: DynamoDBDocumentClient;
  readonly clock: Clock;
}

export function buildCorePlane(config: Config, clock: Clock = systemClock): CoreParts {
  const db = makeDocumentClient({
    endpoint: config.dynamoEndpoint,
    region: config.region,
    requestTimeoutMs: config.dynamoRequestTimeoutMs,
  });
  const { fence, intents, outcomes, inflight } = buildInflight(db, config, clock);
  const audit = new DynamoAuditLog(db, config.tables.control);
  const drain = new DrainService({ fence, intents, audit, clock, shardCount: config.shardCount });
  let initialised: Promise<void> | null = null;
  return {
    db,
    clock,
    drain,
    inflight,
    fence,
    audit,
    outcomes,
    init() {
      initialised ??= fence.init(initialModeState(config.initialVersion, clock.now())).catch((err) => {
        initialised = null;
        throw err;
      });
      return initialised;
    },
  };
}
