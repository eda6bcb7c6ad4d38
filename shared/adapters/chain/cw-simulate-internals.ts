/**
 * The few cw-simulate internals the simulated chain adapter must reach to work around its bugs.
 * Each accessor checks the shape it expects and fails loudly if a cw-simulate upgrade moved it,
 * instead of silently skipping a workaround.
 *
 * Checked against @oraichain/cw-simulate 2.8.108 (dist/modules/wasm/module.js).
 */
import type { SimulateCosmWasmClient } from '@oraichain/cw-simulate';

type WasmModuleInstance = SimulateCosmWasmClient['app']['wasm'];

function internalsChanged(what: string): Error {
  return new Error(
    `cw-simulate internals changed: ${what} not found; revisit shared/adapters/chain/cw-simulate-internals.ts`,
  );
}

/** `WasmModule.contracts`: the per-address cache of Contract objects, each holding a live VM. */
function vmCache(wasm: WasmModuleInstance): Record<string, unknown> {
  const cache: unknown = (wasm as unknown as { contracts?: unknown }).contracts;
  if (cache === null || typeof cache !== 'object') throw internalsChanged('WasmModule.contracts');
  return cache as Record<string, unknown>;
}

/**
 * Drops every cached contract VM and rebuilds those that still exist from the chain store.
 *
 * Why: when an execute, migrate or instantiate fails, cw-simulate rolls its store back, but the
 * cached VM keeps the failed call's storage writes and, after a failed migrate, the new code
 * (`migrateContract` calls `contract.vm.build(newCode)` before running `migrate`). A later call
 * would run on, and write back, that state. Submessages can dirty other contracts' VMs too, so all
 * are rebuilt; compiled modules are cached by checksum, so this costs little.
 */
export async function rebuildAllVms(wasm: WasmModuleInstance): Promise<void> {
  const cache = vmCache(wasm);
  const addresses = Object.keys(cache);
  for (const address of addresses) Reflect.deleteProperty(cache, address);
  for (const address of addresses) {
    // A failed instantiate leaves a cached VM for an address the rollback unregistered: drop only.
    if (wasm.getContractInfo(address) === undefined) continue;
    await wasm.getContract(address).init();
  }
}

/** `WasmModule.checksumCache`: a static (process-wide) map from code id to hex checksum. */
function checksumCache(wasm: WasmModuleInstance): Record<number, string> {
  const cache: unknown = (wasm.constructor as unknown as { checksumCache?: unknown }).checksumCache;
  if (cache === null || typeof cache !== 'object') throw internalsChanged('WasmModule.checksumCache');
  return cache as Record<number, string>;
}

/**
 * Writes this chain's code checksums into cw-simulate's process-wide checksum cache.
 *
 * Why: the cache is static and keyed by code id only, and the VM's compiled-module cache is keyed
 * by that checksum. Two simulated chains in one process (e.g. a chain and one loaded from its
 * saved state, or two test suites) with different code under the same id would otherwise run each
 * other's code. Pinning before every call makes each chain use its own.
 */
export function pinChecksums(wasm: WasmModuleInstance, checksums: ReadonlyMap<number, string>): void {
  const cache = checksumCache(wasm);
  for (const [codeId, checksum] of checksums) cache[codeId] = checksum;
}

/** Sets `lastInstanceId` (the counter that contract addresses are derived from) in the wasm store. */
export function setLastInstanceId(wasm: WasmModuleInstance, value: number): void {
  const store = (wasm as unknown as { store?: { tx?: unknown } }).store;
  if (typeof store?.tx !== 'function') throw internalsChanged('WasmModule.store.tx');
  const tx = store.tx as (
    cb: (setter: (key: string) => (value: unknown) => void) => { err: boolean },
  ) => void;
  tx.call(store, (setter) => {
    setter('lastInstanceId')(value);
    return { err: false };
  });
  if (wasm.lastInstanceId !== value) throw internalsChanged('WasmModule.lastInstanceId');
}

/** A CosmWasm `IbcMsg` as a contract's response carries it (only `transfer` is taken over). */
export type CosmWasmIbcMsg = Record<string, unknown>;

/** What `CWSimulateApp.handleMsg` expects back from a module: a ts-results `Result` of events and data. */
export type ModuleResult = Awaited<ReturnType<SimulateCosmWasmClient['app']['ibc']['handleMsg']>>;

/**
 * Routes contracts' `IbcMsg::Transfer` to `transfer` instead of cw-simulate's IbcModule, which relays at once to an
 * in-process chain (and fails with none) and keeps no packet commitments. Other IBC messages still go to cw-simulate.
 *
 * Checked against `CWSimulateApp.handleMsg` (dist/CWSimulateApp.js), which calls `this.ibc.handleMsg(sender,
 * msg.ibc)` and hands the `Result` to `WasmModule.handleSubmsg` (`r.ok`, `r.val.events`, `r.val.data`).
 */
export function interceptIbcTransfer(
  app: SimulateCosmWasmClient['app'],
  transfer: (sender: string, msg: CosmWasmIbcMsg) => Promise<ModuleResult>,
): void {
  const ibc = (app as unknown as { ibc?: { handleMsg?: unknown } }).ibc;
  if (ibc === undefined || typeof ibc.handleMsg !== 'function')
    throw internalsChanged('CWSimulateApp.ibc.handleMsg');
  const original = ibc.handleMsg as (sender: string, msg: CosmWasmIbcMsg) => Promise<ModuleResult>;
  ibc.handleMsg = (sender: string, msg: CosmWasmIbcMsg): Promise<ModuleResult> =>
    'transfer' in msg ? transfer(sender, msg) : original.call(ibc, sender, msg);
}
