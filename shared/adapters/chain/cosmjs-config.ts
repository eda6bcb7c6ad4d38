import { GasPrice } from '@cosmjs/stargate';
import { ChainError, errorText } from '../../chain/chain-error.ts';

/** Connection settings of a real chain (safe to log: holds no secret). */
export interface CosmjsChainConfig {
  /** CometBFT RPC endpoint, e.g. `https://rpc.example.org:443`. */
  rpcEndpoint: string;
  /** Expected chain id; a node reporting another one is refused. */
  chainId: string;
  /** Bech32 address prefix, e.g. `wasm`, `cosmos`, `osmo`. */
  prefix: string;
  /** Gas price as amount and denom, e.g. `0.025uatom`. */
  gasPrice: string;
  /** Multiplier on simulated gas (default 1.4). */
  gasAdjustment?: number;
  /** Limit for connecting and for each query (default 10 s). */
  requestTimeoutMs?: number;
  /** How often a broadcast transaction is looked for in a block (default 3 s; about the chain's block time). */
  broadcastPollMs?: number;
}

/** {@link CosmjsChainConfig} checked and with defaults filled in. */
export interface ValidCosmjsChainConfig extends Required<CosmjsChainConfig> {
  parsedGasPrice: GasPrice;
}

function invalid(message: string): ChainError {
  return new ChainError('invalid_request', `Invalid chain config: ${message}`);
}

/** Checks a config; throws a ChainError 'invalid_request' naming the first bad field. */
export function validateCosmjsConfig(config: CosmjsChainConfig): ValidCosmjsChainConfig {
  let url: URL;
  try {
    url = new URL(config.rpcEndpoint);
  } catch {
    throw invalid(`rpcEndpoint "${config.rpcEndpoint}" is not a URL`);
  }
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol)) {
    throw invalid(`rpcEndpoint must use http, https, ws or wss, not ${url.protocol.replace(':', '')}`);
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,49}$/.test(config.chainId ?? '')) {
    throw invalid(`chainId "${config.chainId}" is not a chain id (letters, digits, ".", "_", "-")`);
  }
  if (!/^[a-z][a-z0-9]{0,19}$/.test(config.prefix ?? '')) {
    throw invalid(`prefix "${config.prefix}" is not a bech32 prefix (lower-case letters and digits)`);
  }
  let parsedGasPrice: GasPrice;
  try {
    parsedGasPrice = GasPrice.fromString(config.gasPrice);
  } catch (error) {
    throw invalid(`gasPrice "${config.gasPrice}" is not like "0.025uatom": ${errorText(error)}`);
  }
  const gasAdjustment = config.gasAdjustment ?? 1.4;
  if (!Number.isFinite(gasAdjustment) || gasAdjustment < 1 || gasAdjustment > 10) {
    throw invalid(`gasAdjustment must be a number from 1 to 10, got ${gasAdjustment}`);
  }
  const requestTimeoutMs = config.requestTimeoutMs ?? 10_000;
  if (!Number.isInteger(requestTimeoutMs) || requestTimeoutMs <= 0) {
    throw invalid(`requestTimeoutMs must be a positive integer, got ${requestTimeoutMs}`);
  }
  const broadcastPollMs = config.broadcastPollMs ?? 3_000;
  if (!Number.isInteger(broadcastPollMs) || broadcastPollMs < 100 || broadcastPollMs > 60_000) {
    throw invalid(`broadcastPollMs must be an integer from 100 to 60000, got ${broadcastPollMs}`);
  }
  return { ...config, gasAdjustment, requestTimeoutMs, broadcastPollMs, parsedGasPrice };
}
