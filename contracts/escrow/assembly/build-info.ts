// What differs between the two builds of the escrow contract (CONTRACT_MAJOR: build.mjs).

/** The cw2 contract name stored under `contract_info`, and what its `config` query names it. */
export const CONTRACT_NAME = 'escrow';

/** The version a fresh instantiate records: "1.0.0" for v1, "2.0.0" for v2. */
export function buildVersion(): string {
  return CONTRACT_MAJOR >= 2 ? '2.0.0' : '1.0.0';
}

/** v2 adds the `stuck_escrows` query and lists its features in the `config` query. */
export function hasV2Features(): bool {
  return CONTRACT_MAJOR >= 2;
}
