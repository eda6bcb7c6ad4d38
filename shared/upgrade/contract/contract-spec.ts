/** The seeds' MigrateMsg of the settlement contract. */
export interface SettlementMigrateMsg {
  readonly new_version: string;
  readonly config?: {
    readonly preserve_inflight?: boolean;
    readonly stuck_settlement_action?:
      | 'preserve'
      | 'refund_and_cancel'
      | { extend_timeout: { additional_seconds: number } };
    readonly extend_timeout_secs?: number;
    readonly new_config?: Record<string, unknown>;
  };
  readonly rollback?: boolean;
}

/** The `contract` section of an upgrade request: which contract moves to which code, and how. */
export interface ContractSpec {
  readonly address: string;
  readonly new_code_id: number;
  /** Hex SHA-256 of the new code, as published with the release: the upgrade stops before draining if it differs. */
  readonly expected_checksum: string;
  readonly migrate_msg: SettlementMigrateMsg;
  /** The version migration_info must report afterwards (default: migrate_msg.new_version). */
  readonly expected_version?: string;
  /**
   * Governance mode: the migration is done by a governance proposal, not by this control plane. The workflow waits
   * (up to `timeout_secs`) for POST /admin/upgrade/{id}/confirm-migration with the transaction hash, then verifies.
   */
  readonly governance?: { readonly timeout_secs: number };
}

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
