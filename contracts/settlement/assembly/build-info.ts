// What differs between the two builds. `CONTRACT_MAJOR` is a compile-time integer
// constant introduced by build.mjs (`asc --use CONTRACT_MAJOR=1` or `=2`), so the
// code of a feature is only present in the builds that have it.

/** The cw2 contract name stored under `contract_info`. */
export const CONTRACT_NAME = 'settlement';

/** The version a fresh instantiate records: "1.0.0" for v1, "2.0.0" for v2. */
export function buildVersion(): string {
  return CONTRACT_MAJOR >= 2 ? '2.0.0' : '1.0.0';
}

/** v2 adds the `stuck_settlements` query and lists its features in the `config` query. */
export function hasV2Features(): bool {
  return CONTRACT_MAJOR >= 2;
}
