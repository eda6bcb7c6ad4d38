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

/** The `contract` section of an upgrade request: which contract moves to which code, and how. */
export const ContractSchema = z.strictObject({
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

/** The contract section as the workflow runs it. */
export type ContractSpec = z.output<typeof ContractSchema>;

/** The governance wait of an upgrade, as its record shows it. */
export interface GovernanceWait {
  readonly task_token: string;
  readonly waiting_since: string;
  readonly tx_hash: string | null;
  readonly confirmed_by: string | null;
}

/** What the control plane recorded of the contract before changing it (the rollback target). */
export interface ContractBefore {
  readonly address: string;
  readonly code_id: number;
  readonly version: string;
  readonly inflight_ids: readonly string[];
}

/** Whether a stuck-settlement action refunds (the guide's refund_and_fail is the contract's refund_and_cancel). */
export const refunds = (action: unknown): boolean =>
  action === 'refund_and_cancel' || action === 'refund_and_fail';
