import { SigningCosmWasmClient } from '@cosmjs/cosmwasm-stargate';
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
  private connection: Promise<Connection> | undefined;
  private signer: Promise<{ wallet: DirectSecp256k1HdWallet; sender: string }> | undefined;

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
    const { client } = await this.connect();
    return (await this.read(`query on ${address}`, () => client.queryContractSmart(address, msg))) as T;
  }

  async codeDetails(codeId: number): Promise<CodeRef> {
    const { client } = await this.connect();
    const details = await this.read(`code details of ${codeId}`, () => client.getCodeDetails(codeId));
    return { codeId: details.id, checksum: details.checksum.toLowerCase() };
  }

  async contractInfo(address: string): Promise<ContractInfo> {
    const { client } = await this.connect();
    const contract = await this.read(`contract info of ${address}`, () => client.getContract(address));
    return {
      address: contract.address,
      codeId: contract.codeId,
      admin: contract.admin === undefined || contract.admin === '' ? null : contract.admin,
      label: contract.label,
    };
  }

  /** Closes the connection; a later call connects again. */
  async disconnect(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    if (connection === undefined) return;
    try {
      (await connection).client.disconnect();
    } catch {
      // the connection never came up: nothing to close
    }
  }

  private connect(): Promise<Connection> {
    if (this.connection === undefined) {
      const attempt = this.openConnection();
      this.connection = attempt;
      attempt.catch(() => {
        if (this.connection === attempt) this.connection = undefined;
      });
    }
    return this.connection;
  }

  private wallet(): Promise<{ wallet: DirectSecp256k1HdWallet; sender: string }> {
    if (this.signer === undefined) {
      const attempt = this.openWallet();
      this.signer = attempt;
      attempt.catch(() => {
        if (this.signer === attempt) this.signer = undefined;
      });
    }
    return this.signer;
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
    const { rpcEndpoint, chainId, parsedGasPrice, requestTimeoutMs } = this.config;
    const { wallet, sender } = await this.wallet();
    const what = `connecting to ${rpcEndpoint}`;
    let client: SigningCosmWasmClient;
    try {
      client = await withTimeout(
        what,
        requestTimeoutMs,
        SigningCosmWasmClient.connectWithSigner(rpcEndpoint, wallet, { gasPrice: parsedGasPrice }),
      );
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
    return { client, sender };
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
