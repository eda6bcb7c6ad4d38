import { isDeepStrictEqual } from 'node:util';
import type { ChainPort } from '../../chain/chain-port.ts';
import { StepFailure } from '../workflow-state.ts';
import { entryStatus, readConfig } from './contract-queries.ts';
import type { ContractBefore } from './contract-spec.ts';

/** What a contract must show after a migration (or its rollback). */
export interface ContractExpectation {
  readonly codeId: number;
  readonly version: string;
  /** The migration's refunds are allowed (its stuck action refunds). */
  readonly refundAllowed: boolean;
  /** The migrate message's new_config: each key must read back from `config {}` (Procedure 2: "Check config updated"). */
  readonly newConfig?: Record<string, unknown> | undefined;
}

/**
 * Checks a migration's claims: the code id is the expected one, migration_info reports the expected version and the
 * preserved count, every entry inflight before (settlement or locked escrow) is still inflight (or refunded, when the
 * stuck action says so), and the config carries new_config.
 */
export async function verifyContract(
  chain: ChainPort,
  before: ContractBefore,
  expect: ContractExpectation,
): Promise<{ preserved: number; refunded: number }> {
  const { address, kind, name } = before;
  const problems: string[] = [];
  const info = await chain.contractInfo(address);
  if (info.codeId !== expect.codeId) problems.push(`code id is ${info.codeId}, expected ${expect.codeId}`);
  const migration = await chain.query<{
    current_version: string | null;
    preserved_inflight_count: number | null;
  }>(address, { migration_info: {} });
  if (migration.current_version !== expect.version)
    problems.push(
      `migration_info.current_version is ${migration.current_version}, expected ${expect.version}`,
    );
  let preserved = 0;
  let refunded = 0;
  for (const id of before.inflight_ids) {
    const status = await entryStatus(chain, address, kind, id);
    if (status === 'inflight') preserved++;
    else if (status === 'refunded' && expect.refundAllowed) refunded++;
    else problems.push(`${kind} ${id} is ${status}`);
  }
  if (migration.preserved_inflight_count !== preserved)
    problems.push(
      `migration_info.preserved_inflight_count is ${migration.preserved_inflight_count}, but ${preserved} of the checkpointed entries are inflight`,
    );
  if (expect.newConfig) {
    const config = await readConfig(chain, address);
    for (const [key, want] of Object.entries(expect.newConfig))
      if (!isDeepStrictEqual(config[key], want))
        problems.push(
          `config.${key} is ${JSON.stringify(config[key])}, expected ${JSON.stringify(want)} (new_config)`,
        );
  }
  if (problems.length)
    throw new StepFailure(
      'ContractVerificationFailed',
      `contract ${name} (${address}): ${problems.slice(0, 5).join('; ')}`,
    );
  return { preserved, refunded };
}
