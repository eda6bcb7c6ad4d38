import { createHash } from 'node:crypto';
import { SimulateCosmWasmClient } from '@oraichain/cw-simulate';
import { ChainError, errorText } from '../../chain/chain-error.ts';
import type {
  ChainPort,
  CodeRef,
  Coin,
  ContractInfo,
  ExecuteOutcome,
  InstantiateOptions,
  JsonMessage,
  MigrateOutcome,
} from '../../chain/chain-port.ts';
import { interceptIbcTransfer, pinChecksums, rebuildAllVms } from './cw-simulate-internals.ts';
import { sendTransfer } from './ibc-transfer.ts';
import { restoreState, type SimulatedChainState, snapshotState } from './simulated-chain-state.ts';
import { SimulatedIbc } from './simulated-ibc.ts';

/** Options of a {@link SimulatedChain}. */
export interface SimulatedChainOptions {
  chainId?: string;
  /** Address prefix; the default `wasm` matches {@link DEFAULT_SIMULATED_SIGNER}. */
  bech32Prefix?: string;
  /** The sender of every call; must be a valid address for `bech32Prefix`. */
  signer?: string;
}

/** A valid `wasm` address (20 bytes of 0x01), the default signer. */
export const DEFAULT_SIMULATED_SIGNER = 'wasm1qyqszqgpqyqszqgpqyqszqgpqyqszqgpc0styh';

/** The hex sha256 of `bytes`, as CosmWasm reports code checksums. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Shared between a chain and the views made by {@link SimulatedChain.withSigner}. */
interface Runtime {
  client: SimulateCosmWasmClient;
  /** Code id → checksum of every code on this chain (see `pinChecksums`). */
  checksums: Map<number, string>;
  /** The IBC packet store contracts' transfers land in. */
  ibc: SimulatedIbc;
}

/** A runtime over `client`: its IBC transfers go to a new packet store whose "now" is max(wall clock, block time). */
function runtimeOf(client: SimulateCosmWasmClient, checksums: Map<number, string>): Runtime {
  const ibc = new SimulatedIbc({ nowMs: () => Math.max(Date.now(), client.app.time / 1e6) });
  interceptIbcTransfer(client.app, (sender, msg) => sendTransfer(ibc, sender, msg));
  return { client, checksums, ibc };
}

/**
 * {@link ChainPort} over cw-simulate's `SimulateCosmWasmClient`: a real CosmWasm VM in-process.
 *
 * cw-simulate bugs handled here (see cw-simulate-internals.ts for the details):
 * - after a failed execute, migrate or instantiate, every cached contract VM is dropped and
 *   rebuilt from the rolled-back store (`rebuildAllVms`);
 * - its static code-id → checksum cache is re-pinned to this chain's codes before each call
 *   (`pinChecksums`), so more than one chain per process is safe as long as calls do not interleave;
 * - block time is settable (`setBlockTime`); cw-simulate only moves a time behind the wall clock;
 * - contracts' IBC transfers become pending packets in {@link SimulatedChain.ibc} (cw-simulate would relay them at
 *   once to an in-process chain, and keeps no commitments); a failed call's packets are rolled back with it.
 *
 * Migrate admin, code and contract existence are checked here before calling cw-simulate, so the
 * error codes do not depend on its error strings.
 */
export class SimulatedChain implements ChainPort {
  private constructor(
    private readonly runtime: Runtime,
    private readonly signer: string,
  ) {}

  /** A fresh, empty chain. */
  static create(options: SimulatedChainOptions = {}): SimulatedChain {
    const prefix = options.bech32Prefix ?? 'wasm';
    if (prefix !== 'wasm' && options.signer === undefined) {
      throw new ChainError(
        'invalid_request',
        `A signer address is required for the bech32 prefix "${prefix}"`,
      );
    }
    const client = new SimulateCosmWasmClient({
      chainId: options.chainId ?? 'simulated-1',
      bech32Prefix: prefix,
    });
    return new SimulatedChain(runtimeOf(client, new Map()), options.signer ?? DEFAULT_SIMULATED_SIGNER);
  }

  /** A chain rebuilt from {@link SimulatedChain.save}'s output. */
  static async load(json: string): Promise<SimulatedChain> {
    let state: SimulatedChainState;
    try {
      state = JSON.parse(json) as SimulatedChainState;
    } catch (error) {
      throw new ChainError('invalid_request', `Saved simulated chain state is not JSON: ${errorText(error)}`);
    }
    const client = new SimulateCosmWasmClient({ chainId: state.chainId, bech32Prefix: state.bech32Prefix });
    const checksums = new Map<number, string>();
    await restoreState(client, state, checksums);
    const runtime = runtimeOf(client, checksums);
    if (state.ibc !== undefined) runtime.ibc.restore(state.ibc);
    return new SimulatedChain(runtime, state.signer);
  }

  /**
   * The whole chain (codes, contract info, contract storage, counters, block height and time) as a
   * JSON string, with the IBC packet store; the caller stores it. cw-simulate's own `toBytes()`/`from()` loses
   * contract storage. Bank balances are not saved.
   */
  async save(): Promise<string> {
    return JSON.stringify({
      ...snapshotState(this.runtime.client, this.signer),
      ibc: this.runtime.ibc.snapshot(),
    });
  }

  /** The same chain, with calls sent by `address` (e.g. to try a migrate as a non-admin). */
  withSigner(address: string): SimulatedChain {
    return new SimulatedChain(this.runtime, address);
  }

  /**
   * The chain's IBC packet store: contracts' `IbcMsg::Transfer`s become pending packets on its one channel
   * (`transfer/channel-0`), which a (simulated) relayer relays or times out.
   */
  get ibc(): SimulatedIbc {
    return this.runtime.ibc;
  }

  /** The underlying cw-simulate client, for test helpers that need more than the port. */
  get client(): SimulateCosmWasmClient {
    return this.runtime.client;
  }

  signerAddress(): Promise<string> {
    return Promise.resolve(this.signer);
  }

  /**
   * Sets the block time (whole seconds). cw-simulate moves the time to "now" before each block only
   * when it is behind the wall clock, so a time in the future stays fixed until set again.
   */
  setBlockTime(seconds: number): void {
    this.runtime.client.app.time = seconds * 1e9;
  }

  /** The block time in whole seconds. */
  blockTime(): number {
    return Math.floor(this.runtime.client.app.time / 1e9);
  }

  async upload(wasm: Uint8Array): Promise<CodeRef> {
    const result = await this.call('upload', () => this.runtime.client.upload(this.signer, wasm, 'auto'));
    this.runtime.checksums.set(result.codeId, result.checksum);
    return { codeId: result.codeId, checksum: result.checksum };
  }

  async instantiate(
    codeId: number,
    msg: JsonMessage,
    label: string,
    opts: InstantiateOptions = {},
  ): Promise<{ address: string }> {
    this.requireCode(codeId);
    const options = {
      ...(opts.admin === undefined ? {} : { admin: opts.admin }),
      ...(opts.funds === undefined ? {} : { funds: [...opts.funds] }),
    };
    const result = await this.call(`instantiate code ${codeId}`, () =>
      this.runtime.client.instantiate(this.signer, codeId, msg, label, 'auto', options),
    );
    return { address: result.contractAddress };
  }

  async execute(address: string, msg: JsonMessage, funds?: readonly Coin[]): Promise<ExecuteOutcome> {
    this.requireContract(address);
    const result = await this.call(`execute on ${address}`, () =>
      this.runtime.client.execute(this.signer, address, msg, 'auto', undefined, funds),
    );
    return { transactionHash: result.transactionHash, events: result.events };
  }

  async migrate(address: string, newCodeId: number, msg: JsonMessage): Promise<MigrateOutcome> {
    const info = this.requireContract(address);
    this.requireCode(newCodeId);
    if (info.admin !== this.signer) {
      throw new ChainError(
        'unauthorized',
        info.admin === null
          ? `Cannot migrate ${address}: the contract has no admin`
          : `Cannot migrate ${address}: the sender ${this.signer} is not its admin ${info.admin}`,
      );
    }
    const result = await this.call(`migrate ${address} to code ${newCodeId}`, () =>
      this.runtime.client.migrate(this.signer, address, newCodeId, msg, 'auto'),
    );
    return { transactionHash: result.transactionHash, events: result.events };
  }

  async query<T>(address: string, msg: JsonMessage): Promise<T> {
    this.requireContract(address);
    const wasm = this.runtime.client.app.wasm;
    pinChecksums(wasm, this.runtime.checksums);
    try {
      await wasm.getContract(address).init();
      return (await this.runtime.client.queryContractSmart(address, msg)) as T;
    } catch (error) {
      throw new ChainError('contract_error', `Query on ${address} failed: ${errorText(error)}`, {
        cause: error,
      });
    }
  }

  async codeDetails(codeId: number): Promise<CodeRef> {
    this.requireCode(codeId);
    const checksum = this.runtime.checksums.get(codeId);
    if (checksum === undefined) throw new ChainError('not_found', `No checksum known for code ${codeId}`);
    return { codeId, checksum };
  }

  async contractInfo(address: string): Promise<ContractInfo> {
    const info = this.requireContract(address);
    return { address, codeId: info.codeId, admin: info.admin ?? null, label: info.label };
  }

  private requireContract(address: string): { codeId: number; admin?: string | null; label: string } {
    const info = this.runtime.client.app.wasm.getContractInfo(address);
    if (info === undefined) throw new ChainError('not_found', `No contract at address ${address}`);
    return info;
  }

  private requireCode(codeId: number): void {
    const known = this.runtime.checksums.has(codeId);
    if (!known || this.runtime.client.app.wasm.getCodeInfo(codeId)?.wasmCode === undefined) {
      throw new ChainError('not_found', `No code with id ${codeId}`);
    }
  }

  /** Runs a state-changing call with the workarounds; a failure becomes a 'contract_error'. */
  private async call<T>(what: string, run: () => Promise<T>): Promise<T> {
    const wasm = this.runtime.client.app.wasm;
    pinChecksums(wasm, this.runtime.checksums);
    const ibcBefore = this.runtime.ibc.snapshot();
    try {
      return await run();
    } catch (error) {
      // cw-simulate rolls its store back; packets sent by the failed call are rolled back here.
      this.runtime.ibc.restore(ibcBefore);
      try {
        await rebuildAllVms(wasm);
      } catch (rebuildError) {
        throw new ChainError(
          'contract_error',
          `${what} failed: ${errorText(error)}; rebuilding the simulated VMs then failed too: ${errorText(rebuildError)}`,
          { cause: error },
        );
      }
      throw new ChainError('contract_error', `${what} failed: ${errorText(error)}`, { cause: error });
    }
  }
}
