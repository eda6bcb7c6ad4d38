import type { ApprovalPolicy } from '../approval/approval-policy.ts';
import type { ProposalStore } from '../approval/proposal.ts';
import type { ChainPort } from '../chain/chain-port.ts';
import type { IbcReader } from '../chain/ibc-reader.ts';
import type { CheckpointService } from '../checkpoint/checkpoint-service.ts';
import type { DrainService } from '../domain/drain-service.ts';
import type { InflightService } from '../domain/inflight-service.ts';
import type { OutcomeLedger } from '../domain/outcomes.ts';
import type { AuditLog, Clock, FenceStore } from '../domain/ports.ts';
import type { HealthCheck } from '../health/health.ts';
import type { MigrationRegistry } from '../migration/migration.ts';
import type { RecordStore } from '../migration/record-store.ts';
import type { CheckSpec } from './check-spec.ts';
import type { UpgradeStore } from './upgrade-record.ts';

/** Everything the upgrade steps and the upgrade API use, wired once per process. */
export interface UpgradeServices {
  readonly drain: DrainService;
  readonly inflight: InflightService;
  readonly fence: FenceStore;
  readonly audit: AuditLog;
  readonly upgrades: UpgradeStore;
  /** Completions by outcome, counted while a bake has an intent_failures trigger. */
  readonly outcomes: OutcomeLedger;
  /** Upgrade proposals and the policy they answer to (null: no approvals needed). */
  readonly proposals: ProposalStore;
  readonly approval: ApprovalPolicy | null;
  /** Alarms a bake may name (null: any). */
  readonly bakeAlarms: readonly string[] | null;
  readonly checkpoints: CheckpointService;
  readonly records: RecordStore;
  readonly registry: MigrationRegistry;
  readonly checksFor: (specs: readonly CheckSpec[]) => HealthCheck[];
  readonly clock: Clock;
  readonly minUpgradeIntervalSecs: number;
  readonly pollIntervalSecs: number;
  /** The chain the contract steps use; throws a ConfigError naming what to set when none is configured. */
  readonly chain: () => ChainPort;
  /** Reads IBC packets on chain (null: no chain configured; the verification then says so per packet). */
  readonly ibc: (() => IbcReader) | null;
}
