/**
 * The narrow view of a CosmWasm chain the upgrade control plane needs: upload code, instantiate,
 * execute, migrate and query contracts, and read code and contract metadata. Implementations
 * live in shared/adapters/chain/ (an in-process simulated chain and a CosmJS client for a real
 * node). Every method rejects with a {@link ChainError} on failure.
 */
import type { ChainError } from './chain-error.ts';

/** A JSON message sent to or returned by a contract. */
export type JsonMessage = Record<string, unknown>;

/** A native coin amount (`amount` is a decimal Uint128 string). */
export interface Coin {
  denom: string;
  amount: string;
}

/** One event of a transaction, as the chain reports it. */
export interface ChainEvent {
  type: string;
  attributes: readonly { key: string; value: string }[];
}

/** Uploaded code: its id and the hex sha256 of the wasm bytes. */
export interface CodeRef {
  codeId: number;
  checksum: string;
}

/** Chain-level metadata of a contract instance. */
export interface ContractInfo {
  address: string;
  codeId: number;
  /** The account allowed to migrate the contract; `null` when the contract is immutable. */
  admin: string | null;
  label: string;
}

/** The outcome of an execute. */
export interface ExecuteOutcome {
  transactionHash: string;
  events?: readonly ChainEvent[];
}

/** The outcome of a migrate. */
export interface MigrateOutcome {
  transactionHash: string;
  events?: readonly ChainEvent[];
}

/** Options for {@link ChainPort.instantiate}. */
export interface InstantiateOptions {
  /** The chain-level admin (may migrate); omitted means an immutable contract. */
  admin?: string;
  funds?: readonly Coin[];
}

/** The chain operations the control plane uses. All calls are signed by {@link ChainPort.signerAddress}. */
export interface ChainPort {
  /** Stores wasm code (tests and the demo; production code is normally uploaded by governance). */
  upload(wasm: Uint8Array): Promise<CodeRef>;
  /** Creates a contract instance from stored code. */
  instantiate(
    codeId: number,
    msg: JsonMessage,
    label: string,
    opts?: InstantiateOptions,
  ): Promise<{ address: string }>;
  /** Runs a contract's execute entry point. */
  execute(address: string, msg: JsonMessage, funds?: readonly Coin[]): Promise<ExecuteOutcome>;
  /** Moves a contract to new code and runs the new code's migrate entry point (admin only). */
  migrate(address: string, newCodeId: number, msg: JsonMessage): Promise<MigrateOutcome>;
  /** A smart query; the answer is the contract's JSON, typed by the caller (unchecked). */
  query<T>(address: string, msg: JsonMessage): Promise<T>;
  /** Stored code's id and hex sha256 checksum. */
  codeDetails(codeId: number): Promise<CodeRef>;
  /** A contract's code id, admin and label. */
  contractInfo(address: string): Promise<ContractInfo>;
  /** The address that signs (and pays for) every transaction this port sends. */
  signerAddress(): Promise<string>;
}

/** Rejections of {@link ChainPort} methods are of this type. */
export type ChainPortError = ChainError;

/** Collects the `wasm` event attributes of a transaction into one record (later keys win). */
export function wasmAttributes(events: readonly ChainEvent[] | undefined): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const event of events ?? []) {
    if (event.type !== 'wasm') continue;
    for (const { key, value } of event.attributes) attributes[key] = value;
  }
  return attributes;
}
