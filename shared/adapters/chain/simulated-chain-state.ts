/**
 * Saving and restoring a cw-simulate chain as JSON. cw-simulate's own `toBytes()`/`from()` loses
 * contract storage; this writes what is needed to rebuild the chain through its public API:
 * the codes (in id order), each contract's info and storage entries, the instance counter (contract
 * addresses derive from it), block height and time; `SimulatedChain` adds its IBC packet store. Bank balances and
 * cw-simulate's own IBC state are not saved.
 */
import { compare, type SimulateCosmWasmClient, SortedMap } from '@oraichain/cw-simulate';
import { ChainError } from '../../chain/chain-error.ts';
import { setLastInstanceId } from './cw-simulate-internals.ts';
import type { SimulatedIbcState } from './simulated-ibc.ts';

/** The saved form of a simulated chain (version 1). */
export interface SimulatedChainState {
  format: 'simulated-chain/1';
  chainId: string;
  bech32Prefix: string;
  signer: string;
  height: number;
  /** Block time in nanoseconds. */
  time: number;
  lastInstanceId: number;
  codes: { codeId: number; creator: string; wasm: string }[];
  contracts: {
    address: string;
    codeId: number;
    creator: string;
    admin: string | null;
    label: string;
    created: number;
    /** `[key, value]`, both base64. */
    storage: [string, string][];
  }[];
  /** The IBC packet store (absent in files saved before it existed: an empty store). */
  ibc?: SimulatedIbcState;
}

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const unb64 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'base64'));

/** The storage of one contract as base64 pairs; cw-simulate's default store is a SortedMap of bytes. */
function storageEntries(storage: unknown, address: string): [string, string][] {
  const entries = (storage as { entries?: () => Iterable<[unknown, unknown]> } | undefined)?.entries;
  if (typeof entries !== 'function') throw new ChainError('not_found', `No storage for contract ${address}`);
  const out: [string, string][] = [];
  for (const [key, value] of entries.call(storage)) {
    if (!(key instanceof Uint8Array) || !(value instanceof Uint8Array)) {
      throw new ChainError(
        'invalid_request',
        `Contract ${address} storage is not binary (a chain created with BasicKVIterStorage cannot be saved)`,
      );
    }
    out.push([b64(key), b64(value)]);
  }
  return out;
}

/** Captures `client`'s chain as a {@link SimulatedChainState}. */
export function snapshotState(client: SimulateCosmWasmClient, signer: string): SimulatedChainState {
  const { app } = client;
  const wasm = app.wasm;
  const codes: SimulatedChainState['codes'] = [];
  wasm.forEachCodeInfo((info, codeId) => {
    const bytes = Uint8Array.from(info.wasmCode);
    codes.push({ codeId, creator: info.creator, wasm: b64(bytes) });
  });
  codes.sort((a, b) => a.codeId - b.codeId);
  const contracts: SimulatedChainState['contracts'] = [];
  const contractMap = (wasm.store.get('contracts') ?? undefined) as
    | { keys?: () => Iterable<string> }
    | undefined;
  const addresses = typeof contractMap?.keys === 'function' ? [...contractMap.keys()] : [];
  for (const address of addresses) {
    const info = wasm.getContractInfo(address);
    if (info === undefined) continue;
    contracts.push({
      address,
      codeId: info.codeId,
      creator: info.creator,
      admin: info.admin ?? null,
      label: info.label,
      created: info.created,
      storage: storageEntries(wasm.getContractStorage(address), address),
    });
  }
  return {
    format: 'simulated-chain/1',
    chainId: app.chainId,
    bech32Prefix: app.bech32Prefix,
    signer,
    height: app.height,
    time: app.time,
    lastInstanceId: wasm.lastInstanceId,
    codes,
    contracts,
  };
}

/** Rebuilds a saved chain into a fresh `client`; fills `checksums` (code id → hex sha256). */
export async function restoreState(
  client: SimulateCosmWasmClient,
  state: SimulatedChainState,
  checksums: Map<number, string>,
): Promise<void> {
  if (state.format !== 'simulated-chain/1') {
    throw new ChainError('invalid_request', `Unknown simulated chain state format: ${String(state.format)}`);
  }
  const { wasm } = client.app;
  for (const code of state.codes) {
    const uploaded = await client.upload(code.creator, unb64(code.wasm), 'auto');
    if (uploaded.codeId !== code.codeId) {
      throw new ChainError(
        'invalid_request',
        `Saved code ids are not contiguous: code ${code.codeId} was restored as ${uploaded.codeId}`,
      );
    }
    checksums.set(uploaded.codeId, uploaded.checksum);
  }
  for (const contract of state.contracts) {
    const entries = contract.storage.map(([key, value]): [Uint8Array, Uint8Array] => [
      unb64(key),
      unb64(value),
    ]);
    const info = {
      codeId: contract.codeId,
      creator: contract.creator,
      admin: contract.admin,
      label: contract.label,
      created: contract.created,
    };
    await client.loadContract(contract.address, info, SortedMap(entries, compare));
  }
  setLastInstanceId(wasm, state.lastInstanceId);
  client.app.height = state.height;
  client.app.time = state.time;
}
