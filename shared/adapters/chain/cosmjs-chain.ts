import { CosmWasmClient, SigningCosmWasmClient } from '@cosmjs/cosmwasm-stargate';
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
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
import { normaliseMnemonic, type SignerSource } from '../../chain/signer-source.ts';
import {
  type CosmjsChainConfig,
  type ValidCosmjsChainConfig,
  validateCosmjsConfig,
} from './cosmjs-config.ts';
import { toChainError, withTimeout } from './cosmjs-errors.ts';

/** The normalised mnemonic, or a ChainError 'invalid_request' (whose message never quotes it). */
function checkedMnemonic(raw: string, origin: string): string {
  try {
    return normaliseMnemonic(raw, origin);
  } catch (error) {
    throw new ChainError('invalid_request', errorText(error));
  }
}

/** A value opened on first use and kept; a failed opening is forgotten, so the next use tries again. */
class Retried<T> {
  private value: Promise<T> | undefined;
  constructor(private readonly open: () => Promise<T>) {}

  get(): Promise<T> {
    if (this.value === undefined) {
      const attempt = this.open();
      this.value = attempt;
      attempt.catch(() => {
        if (this.value === attempt) this.value = undefined;
      });
    }
    return this.value;
  }

  /** Forgets the value and hands it over (to close it). */
  take(): Promise<T> | undefined {
    const value = this.value;
    this.value = undefined;
    return value;
  }
}

interface Connection {
  client: SigningCosmWasmClient;
  sender: string;
}

/**
 * {@link ChainPort} for a real CosmWasm chain through CosmJS (`SigningCosmWasmClient` with a
 * `DirectSecp256k1HdWallet`, first account of the mnemonic). The config is validated at
 * construction; the wallet and the connection are made on first use (and retried after a failed
 * connect). The mnemonic is never logged or put in an error message.
 *
 * Transactions use `gasAdjustment` × simulated gas at `gasPrice`. Queries and connecting are
 * bounded by `requestTimeoutMs`; a broadcast is bounded by CosmJS's own broadcast timeout, and a
 * 'transport' error from a transaction means its outcome is unknown: check the chain before retrying.
 */
export class CosmjsChain implements ChainPort {
  readonly config: ValidCosmjsChainConfig;
  private readonly signing = new Retried(() => this.openConnection());
  private readonly reading = new Retried(() => this.openReader());
  private readonly signer = new Retried(() => this.openWallet());

  /** `mnemonic` is the signer's BIP-39 mnemonic, or a source to read it from when first needed. */
  constructor(
    config: CosmjsChainConfig,
    private readonly mnemonic: string | SignerSource,
  ) {
    this.config = validateCosmjsConfig(config);
    if (typeof mnemonic === 'string') checkedMnemonic(mnemonic, 'the caller');
  }

  /** Derived from the mnemonic alone; needs no connection. */
  async signerAddress(): Promise<string> {
    return (await this.wallet()).sender;
  }

  async upload(wasm: Uint8Array): Promise<CodeRef> {
    const { client, sender } = await this.connect();
    const result = await this.tx('upload', () => client.upload(sender, wasm, this.config.gasAdjustment));
    return { codeId: result.codeId, checksum: result.checksum.toLowerCase() };
  }

  async instantiate(
    codeId: number,
    msg: JsonMessage,
    label: string,
    opts: InstantiateOptions = {},
  ): Promise<{ address: string }> {
    const { client, sender } = await this.connect();
    const options = {
      ...(opts.admin === undefined ? {} : { admin: opts.admin }),
      ...(opts.funds === undefined ? {} : { funds: opts.funds }),
    };
    const result = await this.tx(`instantiate code ${codeId}`, () =>
      client.instantiate(sender, codeId, msg, label, this.config.gasAdjustment, options),
    );
    return { address: result.contractAddress };
  }

  async execute(address: string, msg: JsonMessage, funds?: readonly Coin[]): Promise<ExecuteOutcome> {
    const { client, sender } = await this.connect();
    const result = await this.tx(`execute on ${address}`, () =>
      client.execute(sender, address, msg, this.config.gasAdjustment, undefined, funds),
    );
    return { transactionHash: result.transactionHash, events: result.events };
  }

  async migrate(address: string, newCodeId: number, msg: JsonMessage): Promise<MigrateOutcome> {
    const { client, sender } = await this.connect();
    const result = await this.tx(`migrate ${address} to code ${newCodeId}`, () =>
      client.migrate(sender, address, newCodeId, msg, this.config.gasAdjustment),
    );
    return { transactionHash: result.transactionHash, events: result.events };
  }

  async query<T>(address: string, msg: JsonMessage): Promise<T> {
    const client = await this.reader();
    return (await this.read(`query on ${address}`, () => client.queryContractSmart(address, msg))) as T;
  }

  async codeDetails(codeId: number): Promise<CodeRef> {
    const client = await this.reader();
    const details = await this.read(`code details of ${codeId}`, () => client.getCodeDetails(codeId));
    return { codeId: details.id, checksum: details.checksum.toLowerCase() };
  }

  async contractInfo(address: string): Promise<ContractInfo> {
    const client = await this.reader();
    const contract = await this.read(`contract info of ${address}`, () => client.getContract(address));
    return {
      address: contract.address,
      codeId: contract.codeId,
      admin: contract.admin === undefined || contract.admin === '' ? null : contract.admin,
      label: contract.label,
    };
  }

  /** Closes the connections; a later call connects again. */
  async disconnect(): Promise<void> {
    for (const connection of [this.signing.take(), this.reading.take()]) {
      if (connection === undefined) continue;
      try {
        const opened = await connection;
        ('client' in opened ? opened.client : opened).disconnect();
      } catch {
        // the connection never came up: nothing to close
      }
    }
  }

  /** The signing connection: transactions only (it needs the mnemonic). */
  private connect(): Promise<Connection> {
    return this.signing.get();
  }

  /** An unsigned connection for reads: a step that only queries never reads the mnemonic. */
  private reader(): Promise<CosmWasmClient> {
    return this.reading.get();
  }

  private wallet(): Promise<{ wallet: DirectSecp256k1HdWallet; sender: string }> {
    return this.signer.get();
  }

  private async openWallet(): Promise<{ wallet: DirectSecp256k1HdWallet; sender: string }> {
    let raw: string;
    try {
      raw = typeof this.mnemonic === 'string' ? this.mnemonic : await this.mnemonic.mnemonic();
    } catch (error) {
      throw new ChainError('invalid_request', `Cannot get the signer mnemonic: ${errorText(error)}`, {
        cause: error,
      });
    }
    const mnemonic = checkedMnemonic(
      raw,
      typeof this.mnemonic === 'string' ? 'the caller' : 'the signer source',
    );
    let wallet: DirectSecp256k1HdWallet;
    try {
      wallet = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: this.config.prefix });
    } catch {
      // CosmJS's message may quote a word of the mnemonic: do not pass it on.
      throw new ChainError('invalid_request', 'The signer mnemonic is not a valid BIP-39 mnemonic');
    }
    const [account] = await wallet.getAccounts();
    if (account === undefined) throw new ChainError('invalid_request', 'The signer wallet has no account');
    return { wallet, sender: account.address };
  }

  private async openConnection(): Promise<Connection> {
    const { rpcEndpoint, parsedGasPrice, broadcastPollMs } = this.config;
    const { wallet, sender } = await this.wallet();
    const client = await this.checkedConnection(() =>
      SigningCosmWasmClient.connectWithSigner(rpcEndpoint, wallet, {
        gasPrice: parsedGasPrice,
        broadcastPollIntervalMs: broadcastPollMs,
      }),
    );
    return { client, sender };
  }

  private openReader(): Promise<CosmWasmClient> {
    return this.checkedConnection(() => CosmWasmClient.connect(this.config.rpcEndpoint));
  }

  /** Connects within the request timeout and refuses a node of another chain id. */
  private async checkedConnection<C extends CosmWasmClient>(open: () => Promise<C>): Promise<C> {
    const { rpcEndpoint, chainId, requestTimeoutMs } = this.config;
    const what = `connecting to ${rpcEndpoint}`;
    let client: C;
    try {
      client = await withTimeout(what, requestTimeoutMs, open());
    } catch (error) {
      const chainError = toChainError(what, error);
      // Anything going wrong before the node answered is a transport problem.
      throw chainError.code === 'transport' || chainError.code === 'invalid_request'
        ? chainError
        : new ChainError('transport', chainError.message, { cause: error });
    }
    const actual = await this.read('reading the chain id', () => client.getChainId());
    if (actual !== chainId) {
      client.disconnect();
      throw new ChainError(
        'invalid_request',
        `${rpcEndpoint} serves chain ${actual}, not the configured ${chainId}`,
      );
    }
    return client;
  }

  private async read<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await withTimeout(what, this.config.requestTimeoutMs, run());
    } catch (error) {
      throw toChainError(what, error);
    }
  }

  private async tx<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw toChainError(what, error);
    }
  }
}
