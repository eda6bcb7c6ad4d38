// The exports every contract's entry file re-exports (interface_version_8 and the allocator),
// and how an entry point hands its JSON result to the host.
// biome-ignore lint/style/useImportType: AssemblyScript has no type-only imports
import { errorResult, QueryOutcome } from './message';
import { allocateRegion, queryOkRegion, stringToRegion } from './region';

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

/** An instantiate, execute or migrate result (ContractResult JSON) as the Region the host reads. */
export function respond(json: string): u32 {
  return returned(stringToRegion(json));
}

/** A query's answer: `{"ok": "<base64 of the JSON>"}`, or its error. */
export function respondQuery(outcome: QueryOutcome): u32 {
  if (outcome.error.length > 0) return returned(stringToRegion(errorResult(outcome.error)));
  return returned(queryOkRegion(outcome.json));
}
