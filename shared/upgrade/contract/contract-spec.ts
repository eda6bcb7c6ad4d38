import { z } from 'zod';
import { atMost } from '../at-most.ts';

/** The seeds' MigrateMsg of the settlement contract. */
export interface SettlementMigrateMsg {
  readonly new_version: string;
  readonly config?: {
    readonly preserve_inflight?: boolean;
    readonly stuck_settlement_action?:
      | 'preserve'
      | 'refund_and_cancel'
      | 'refund_and_fail'
      | { extend_timeout: { additional_seconds: number } };
    readonly extend_timeout_secs?: number;
    readonly new_config?: Record<string, unknown>;
  };
  readonly rollback?: boolean;
}

/** The most an upgrade waits for a governance migration (with the other limits: UPGRADE_LIMITS). */
export const MAX_GOVERNANCE_TIMEOUT_SECS = 14 * 86_400;

const version = z.string().min(1).max(64);
const StuckAction = z.union([
  // refund_and_fail is the operations guide's name (RefundAndFail) for refund_and_cancel; the contract takes both.
  z.enum(['preserve', 'refund_and_cancel', 'refund_and_fail']),
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

/** A component's name (a contract or a service), as the status, the CLI and the console show it. */
export const ComponentName = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1-64 letters, digits, . _ - (a name for this component)');

/** One entry of `contracts`: which contract moves to which code, and how. */
export const NamedContractSchema = z.strictObject({
  /** The component's name in the status and in `order` (the `contract` shorthand defaults it to `settlement`). */
  name: ComponentName,
  address: z.string().regex(/^[a-z0-9]{1,20}1[02-9ac-hj-np-z]{6,90}$/, 'must be a bech32 contract address'),
  new_code_id: z.number().int().min(1),
  /** Hex SHA-256 of the new code, as published with the release: the upgrade stops before draining if it differs. */
  expected_checksum: z.string().regex(/^[0-9a-fA-F]{64}$/, "must be the 64 hex digits of the code's SHA-256"),
  migrate_msg: z.strictObject({
    new_version: version,
    config: z
      .strictObject({
        preserve_inflight: z.boolean().optional(),
        stuck_settlement_action: StuckAction.optional(),
        /** The escrow contract's stuck action (`refund` returns the user's funds). */
        stuck_escrow_action: z.union([z.enum(['preserve', 'refund']), StuckAction.options[1]]).optional(),
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
  /** The version migration_info must report afterwards (default: migrate_msg.new_version). */
  expected_version: version.optional(),
  /**
   * Governance mode: the migration is done by a governance proposal, not by this control plane. The workflow waits
   * (up to `timeout_secs`) for the operator's confirmation with the transaction hash, then verifies.
   */
  governance: z
    .strictObject({ timeout_secs: z.number().int().min(1).max(MAX_GOVERNANCE_TIMEOUT_SECS, atMost) })
    .optional(),
});

/** The `contract` shorthand: one entry of `contracts`, named `settlement` unless it says otherwise. */
export const ContractSchema = NamedContractSchema.extend({ name: ComponentName.default('settlement') });

/** One contract as the workflow runs it. */
export type NamedContractSpec = z.output<typeof NamedContractSchema>;

/** The governance wait of an upgrade, as its record shows it (one contract at a time). */
export interface GovernanceWait {
  /** The contract (component name) the wait is for. */
  readonly contract?: string;
  readonly task_token: string;
  readonly waiting_since: string;
  readonly tx_hash: string | null;
  readonly confirmed_by: string | null;
}

/** What the control plane recorded of a contract before changing it (the rollback target). */
export interface ContractBefore {
  /** The component's name. */
  readonly name: string;
  readonly address: string;
  /** What its `config {}` says it is: the escrow contract names itself, the settlement contract does not. */
  readonly kind: 'settlement' | 'escrow';
  readonly code_id: number;
  readonly version: string;
  /** Its inflight settlements, or its locked escrows, at the checkpoint. */
  readonly inflight_ids: readonly string[];
  /** Its `config {}` answer at the checkpoint. */
  readonly config: Record<string, unknown> | null;
}

/** One contract migration of an upgrade: recorded before its transaction (the intent), then as it goes. */
export interface ContractMigration {
  readonly name: string;
  readonly address: string;
  readonly from_code_id: number;
  readonly to_code_id: number;
  readonly started_at: string;
  /** True once the contract runs the new code (set after migrate, cleared by its rollback). */
  readonly migrated: boolean;
  /** Set once the rollback has put it back on from_code_id (or found the migrate never took effect). */
  readonly rolled_back: boolean;
}

/** Whether a migration's stuck action refunds (the guide's refund_and_fail is the contract's refund_and_cancel). */
export function refunds(spec: NamedContractSpec): boolean {
  const config = spec.migrate_msg.config;
  const action = config?.stuck_settlement_action ?? config?.stuck_escrow_action;
  return action === 'refund_and_cancel' || action === 'refund_and_fail' || action === 'refund';
}
