import { readFileSync } from 'node:fs';
import { SimulateCosmWasmClient } from '@oraichain/cw-simulate';
import type { Settlement } from '../../shared/chain/settlement-types.ts';

/** The committed builds of the AssemblyScript settlement contract. */
export const CONTRACT_BUILD_DIR = new URL('../../contracts/settlement/build/', import.meta.url);

export function readContractWasm(version: 1 | 2): Uint8Array {
  return readFileSync(new URL(`settlement-v${version}.wasm`, CONTRACT_BUILD_DIR));
}

/** Valid bech32 addresses for the simulated chain's `wasm` prefix (20 bytes of 0x01, 0x02, ...). */
export const ADDR = {
  admin: 'wasm1qyqszqgpqyqszqgpqyqszqgpqyqszqgpc0styh',
  solver: 'wasm1qgpqyqszqgpqyqszqgpqyqszqgpqyqszftkw0p',
  stranger: 'wasm1qvpsxqcrqvpsxqcrqvpsxqcrqvpsxqcrgmh09q',
  newAdmin: 'wasm1qszqgpqyqszqgpqyqszqgpqyqszqgpqygts2zu',
  escrow: 'wasm1q5zs2pg9q5zs2pg9q5zs2pg9q5zs2pg9fm3tga',
} as const;

export interface SettlementPage {
  settlements: Settlement[];
  count: number;
}

export interface ContractConfig {
  admin: string;
  version: string;
  escrow_contract: string | null;
  min_solver_bond: string;
  base_slash_bps: number;
  /** v2 only. */
  features?: string[];
}

export interface MigrationInfo {
  previous_version: string | null;
  current_version: string;
  migrated_at: number | null;
  preserved_inflight_count: number | null;
}

export type StuckSettlementAction =
  | 'preserve'
  | 'refund_and_cancel'
  | { extend_timeout: { additional_seconds: number } };

export interface MigrateMsg {
  new_version: string;
  config?: {
    preserve_inflight?: boolean;
    stuck_settlement_action?: StuckSettlementAction;
    extend_timeout_secs?: number | null;
    new_config?: {
      admin?: string;
      escrow_contract?: string;
      min_solver_bond?: string;
      base_slash_bps?: number;
    } | null;
  } | null;
  rollback?: boolean;
}

export interface CreateSettlement {
  id: string;
  user_funds_locked: boolean;
  solver_funds_locked: boolean;
  timeout_seconds: number;
  amount?: string;
}

export type Attributes = Record<string, string>;

/** The attributes a contract added to its `wasm` event. */
function wasmAttributes(
  events: readonly { type: string; attributes: readonly { key: string; value: string }[] }[],
) {
  const attributes: Attributes = {};
  for (const event of events) {
    if (event.type !== 'wasm') continue;
    for (const { key, value } of event.attributes) attributes[key] = value;
  }
  return attributes;
}

/**
 * One simulated chain (cw-simulate) with both contract versions uploaded. Use one per test file:
 * cw-simulate keeps a static checksum cache keyed by code id that separate clients would share.
 *
 * `execute` and `migrate` work around a cw-simulate bug: when a call fails, the chain store is
 * rolled back, but the contract's cached VM keeps the failed call's storage writes and, after a
 * failed migrate, the new code (`migrateContract` rebuilds the VM before calling the contract,
 * node_modules/@oraichain/cw-simulate/dist/modules/wasm/module.js, `contract.vm.build(...)`).
 * Later calls would then run on that state. After any failure the cached VM is dropped and
 * rebuilt from the rolled-back store (`rebuildVm`).
 */
export class SettlementChain {
  readonly client = new SimulateCosmWasmClient({ chainId: 'settlement-test-1', bech32Prefix: 'wasm' });
  codeV1 = 0;
  codeV2 = 0;

  async upload(): Promise<void> {
    this.codeV1 = (await this.client.upload(ADDR.admin, readContractWasm(1), 'auto')).codeId;
    this.codeV2 = (await this.client.upload(ADDR.admin, readContractWasm(2), 'auto')).codeId;
  }

  /** Instantiates a fresh contract; `ADDR.admin` is both sender and chain-level (migrate) admin. */
  async instantiate(
    codeId: number,
    msg: Record<string, unknown> = {},
    sender: string = ADDR.admin,
  ): Promise<string> {
    const result = await this.client.instantiate(sender, codeId, msg, 'settlement', 'auto', {
      admin: ADDR.admin,
    });
    return result.contractAddress;
  }

  async execute(
    contract: string,
    msg: Record<string, unknown>,
    sender: string = ADDR.admin,
  ): Promise<Attributes> {
    try {
      const result = await this.client.execute(sender, contract, msg, 'auto');
      return wasmAttributes(result.events);
    } catch (error) {
      await this.rebuildVm(contract);
      throw error;
    }
  }

  async migrate(
    contract: string,
    codeId: number,
    msg: MigrateMsg,
    sender: string = ADDR.admin,
  ): Promise<Attributes> {
    try {
      const result = await this.client.migrate(sender, contract, codeId, { ...msg }, 'auto');
      return wasmAttributes(result.events);
    } catch (error) {
      await this.rebuildVm(contract);
      throw error;
    }
  }

  query<T>(contract: string, msg: Record<string, unknown>): Promise<T> {
    return this.client.queryContractSmart(contract, msg) as Promise<T>;
  }

  async codeIdOf(contract: string): Promise<number> {
    return (await this.client.getContract(contract)).codeId;
  }

  /** Every settlement, inflight or not, read one by one. */
  async settlements(contract: string, ids: readonly string[]): Promise<Settlement[]> {
    return Promise.all(ids.map((id) => this.query<Settlement>(contract, { settlement: { id } })));
  }

  /** All inflight settlements, following `start_after` page by page. */
  async allInflight(contract: string, limit = 30): Promise<Settlement[]> {
    const all: Settlement[] = [];
    let startAfter: string | undefined;
    for (;;) {
      const page = await this.query<SettlementPage>(contract, {
        inflight_settlements: { start_after: startAfter, limit },
      });
      all.push(...page.settlements);
      const last = page.settlements.at(-1);
      if (last === undefined || page.settlements.length < limit) return all;
      startAfter = last.id;
    }
  }

  /**
   * Sets the block time (whole seconds). cw-simulate moves the time to "now" before each block
   * only when it is behind the wall clock, so a time in the future stays fixed until set again.
   */
  setBlockTime(seconds: number): void {
    this.client.app.time = seconds * 1e9;
  }

  blockTime(): number {
    return Math.floor(this.client.app.time / 1e9);
  }

  /** The size of the linear memory of the contract's (long-lived) cw-simulate VM instance. */
  vmMemoryBytes(contract: string): number {
    const exports: unknown = this.client.app.wasm.getContract(contract).vm.exports;
    return (exports as { memory: { buffer: ArrayBuffer } }).memory.buffer.byteLength;
  }

  /** Drops cw-simulate's cached VM for `contract` and builds it again from the chain store. */
  async rebuildVm(contract: string): Promise<void> {
    const wasm: unknown = this.client.app.wasm;
    const cache = (wasm as { contracts?: Record<string, unknown> }).contracts;
    if (cache === undefined || typeof cache !== 'object') {
      throw new Error('cw-simulate internals changed: WasmModule.contracts not found; revisit rebuildVm');
    }
    Reflect.deleteProperty(cache, contract);
    await this.client.app.wasm.getContract(contract).init();
  }
}

export type { Settlement };
