import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type ChainError, isChainError } from '../../shared/chain/chain-error.ts';
import type { Settlement } from '../../shared/chain/settlement-types.ts';

/** The committed builds of the AssemblyScript escrow contract. */
export function escrowWasm(version: 1 | 2): Uint8Array {
  return readFileSync(new URL(`../../contracts/escrow/build/escrow-v${version}.wasm`, import.meta.url));
}

/** The committed builds of the AssemblyScript settlement contract. */
export function settlementWasm(version: 1 | 2): Uint8Array {
  return readFileSync(
    new URL(`../../contracts/settlement/build/settlement-v${version}.wasm`, import.meta.url),
  );
}

/** A prebuilt third-party contract from `@oraichain/common-contracts-build` (its `data/` folder). */
export function commonContractWasm(name: 'cw20-base'): Uint8Array {
  const require = createRequire(import.meta.url);
  const packageJson = require.resolve('@oraichain/common-contracts-build/package.json');
  return readFileSync(join(dirname(packageJson), 'data', `${name}.wasm`));
}

/** Valid `wasm` addresses (20 bytes of 0x02 / 0x03). */
export const OTHER = {
  solver: 'wasm1qgpqyqszqgpqyqszqgpqyqszqgpqyqszftkw0p',
  stranger: 'wasm1qvpsxqcrqvpsxqcrqvpsxqcrqvpsxqcrgmh09q',
} as const;

/** The migrate message that moves v1 to v2 keeping inflight settlements. */
export const PRESERVING_MIGRATE = {
  new_version: '2.0.0',
  config: { preserve_inflight: true, stuck_settlement_action: 'preserve' },
};

export type { Settlement };

/** The ChainError `run` throws (anything else thrown fails the test, and so does no error at all). */
export async function caughtChainError(run: () => unknown): Promise<ChainError> {
  try {
    await run();
  } catch (error) {
    if (isChainError(error)) return error;
    throw error;
  }
  throw new Error('expected a ChainError');
}
