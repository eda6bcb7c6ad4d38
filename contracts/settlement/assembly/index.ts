// Entry file: exactly the exports the CosmWasm VM looks for (interface_version_8, the
// allocator, and the entry points). Each entry point takes Region pointers to JSON and
// returns a Region pointer to a JSON ContractResult.
import * as contract from './contract';
import { allocateRegion, queryOkRegion, readRegionString, stringToRegion } from './region';

/** Marker export: this contract speaks CosmWasm VM interface version 8. */
export function interface_version_8(): void {}

/**
 * Allocates a Region for the host to write `size` bytes into. The capacity is three times
 * the size: cw-simulate sizes Regions by a string's UTF-16 length but writes UTF-8, which
 * would overflow an exact Region for non-ASCII input.
 */
export function allocate(size: u32): u32 {
  return allocateRegion(size < 0x10000000 ? size * 3 : size);
}

/** The Region most recently returned by an entry point (0 once the host released it). */
let resultRegion: u32 = 0;

function returned(region: u32): u32 {
  resultRegion = region;
  return region;
}

/**
 * The stub runtime's bump allocator never frees single blocks. Once the host releases an
 * entry point's result, nothing allocated during that call is live any more, so the whole
 * heap is reset. A real chain runs each call in a fresh instance anyway; cw-simulate reuses
 * one instance for every call, where memory would otherwise grow without bound.
 */
export function deallocate(region: u32): void {
  if (region !== 0 && region === resultRegion) {
    resultRegion = 0;
    __reset();
  }
}

export function instantiate(env: u32, info: u32, msg: u32): u32 {
  return returned(
    stringToRegion(
      contract.instantiate(readRegionString(env), readRegionString(info), readRegionString(msg)),
    ),
  );
}

export function execute(env: u32, info: u32, msg: u32): u32 {
  return returned(
    stringToRegion(contract.execute(readRegionString(env), readRegionString(info), readRegionString(msg))),
  );
}

export function query(env: u32, msg: u32): u32 {
  const outcome = contract.query(readRegionString(env), readRegionString(msg));
  if (outcome.error.length > 0) return returned(stringToRegion(contract.errorResult(outcome.error)));
  return returned(queryOkRegion(outcome.json));
}

export function migrate(env: u32, msg: u32): u32 {
  return returned(stringToRegion(contract.migrate(readRegionString(env), readRegionString(msg))));
}
