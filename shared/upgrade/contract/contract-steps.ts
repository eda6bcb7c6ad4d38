import type { ChainPort } from '../../chain/chain-port.ts';
import type { Settlement } from '../../chain/settlement-types.ts';
import { recordPatch, writeRecord } from '../record-patch.ts';
import type { UpgradeServices } from '../upgrade-services.ts';
import { StepFailure, type WorkflowState } from '../workflow-state.ts';
import { type ContractBefore, type ContractSpec, refunds } from './contract-spec.ts';
import { allInflightSettlements, contractVersion } from './settlement-queries.ts';

const spec = (s: WorkflowState) => s.config.contract as ContractSpec;

/**
 * Before any drain: the new code exists and its checksum is the expected one, the signer is the contract's admin,
 * and the contract's current code id and version are recorded (the rollback target).
 */
export async function preCheckContract(
  svc: UpgradeServices,
  s: WorkflowState,
): Promise<Omit<ContractBefore, 'inflight_ids'>> {
  const c = spec(s);
  const chain = svc.chain();
  const code = await chain.codeDetails(c.new_code_id).catch((e: Error) => {
    throw new StepFailure(
      'PreChecksFailed',
      `contract pre-check: new code ${c.new_code_id} not found (${e.message})`,
    );
  });
  if (code.checksum.toLowerCase() !== c.expected_checksum.toLowerCase()) {
    throw new StepFailure(
      'PreChecksFailed',
      `contract pre-check: code ${c.new_code_id} has checksum ${code.checksum}, expected ${c.expected_checksum}`,
    );
  }
  const info = await chain.contractInfo(c.address);
  const signer = await chain.signerAddress();
  if (s.config.contract_mode === 'direct' && info.admin !== signer) {
    throw new StepFailure(
      'PreChecksFailed',
      `contract pre-check: the signer ${signer} is not the admin of ${c.address} (admin: ${info.admin ?? 'none'})`,
    );
  }
  const before = {
    address: c.address,
    code_id: info.codeId,
    version: await contractVersion(chain, c.address),
  };
  await writeRecord(
    svc.upgrades,
    s.upgrade_id,
    recordPatch('contract', { contract_before: { ...before, inflight_ids: [] } }),
  );
  return before;
}

/** For the checkpoint: the contract's inflight settlements (all pages), with its code id and version. */
export async function snapshotContract(
  svc: UpgradeServices,
  s: WorkflowState,
): Promise<{ before: ContractBefore; settlements: Settlement[] }> {
  const c = spec(s);
  const chain = svc.chain();
  const [settlements, info, version] = await Promise.all([
    allInflightSettlements(chain, c.address),
    chain.contractInfo(c.address),
    contractVersion(chain, c.address),
  ]);
  const before: ContractBefore = {
    address: c.address,
    code_id: info.codeId,
    version,
    inflight_ids: settlements.map((x) => x.id),
  };
  await writeRecord(svc.upgrades, s.upgrade_id, recordPatch('contract', { contract_before: before }));
  return { before, settlements };
}

/** Gives every inflight settlement more time on-chain (`extend_timeout {id, additional_seconds}`). */
export async function extendContractTimeouts(svc: UpgradeServices, s: WorkflowState): Promise<number> {
  const c = spec(s);
  const chain = svc.chain();
  const inflight = await allInflightSettlements(chain, c.address);
  for (const x of inflight) {
    await chain.execute(c.address, {
      extend_timeout: { id: x.id, additional_seconds: s.config.extend_timeout_secs },
    });
  }
  return inflight.length;
}

/**
 * Checks a migration's claims: the code id is the expected one, migration_info reports the expected version and
 * the preserved count, and every settlement inflight before is still inflight (or refunded, when the stuck action
 * says so).
 */
export async function verifyContract(
  chain: ChainPort,
  address: string,
  expect: { codeId: number; version: string; before: readonly string[]; refundAllowed: boolean },
): Promise<{ preserved: number; refunded: number }> {
  const problems: string[] = [];
  const info = await chain.contractInfo(address);
  if (info.codeId !== expect.codeId) problems.push(`code id is ${info.codeId}, expected ${expect.codeId}`);
  const migration = await chain.query<{
    current_version: string | null;
    preserved_inflight_count: number | null;
  }>(address, {
    migration_info: {},
  });
  if (migration.current_version !== expect.version)
    problems.push(
      `migration_info.current_version is ${migration.current_version}, expected ${expect.version}`,
    );
  let preserved = 0;
  let refunded = 0;
  for (const id of expect.before) {
    const { status } = await chain
      .query<Settlement>(address, { settlement: { id } })
      .catch(() => ({ status: 'missing' as const }));
    if (status === 'inflight') preserved++;
    else if (status === 'refunded' && expect.refundAllowed) refunded++;
    else problems.push(`settlement ${id} is ${status}`);
  }
  if (migration.preserved_inflight_count !== preserved) {
    problems.push(
      `migration_info.preserved_inflight_count is ${migration.preserved_inflight_count}, but ${preserved} of the checkpointed settlements are inflight`,
    );
  }
  if (problems.length)
    throw new StepFailure(
      'ContractVerificationFailed',
      `contract ${address}: ${problems.slice(0, 5).join('; ')}`,
    );
  return { preserved, refunded };
}

/**
 * Step 6c: migrate the contract, then verify every claim. Safe to run again: the intent ("migrating to code N")
 * is recorded before the transaction, and a contract found on the new code already (a crash after the
 * transaction) is not migrated twice, only verified.
 */
export async function migrateContract(svc: UpgradeServices, s: WorkflowState) {
  const c = spec(s);
  const chain = svc.chain();
  const record = await svc.upgrades.get(s.upgrade_id);
  const before = record?.contract_before;
  if (!before)
    throw new StepFailure('ContractMigrationFailed', 'no contract snapshot was taken before migrating');
  const onChain = await chain.contractInfo(c.address);
  let txHash: string | null = null;
  if (onChain.codeId !== c.new_code_id) {
    await writeRecord(
      svc.upgrades,
      s.upgrade_id,
      recordPatch('contract', {
        contract_migration: {
          from_code_id: before.code_id,
          to_code_id: c.new_code_id,
          started_at: new Date(svc.clock.now()).toISOString(),
        },
      }),
    );
    const tx = await chain
      .migrate(c.address, c.new_code_id, c.migrate_msg as unknown as Record<string, unknown>)
      .catch((e: Error) => {
        throw new StepFailure(
          'ContractMigrationFailed',
          `migrate of ${c.address} to code ${c.new_code_id} refused: ${e.message}`,
        );
      });
    txHash = tx.transactionHash;
  }
  await writeRecord(svc.upgrades, s.upgrade_id, recordPatch('contract', { contract_migrated: true }));
  const action = c.migrate_msg.config?.stuck_settlement_action;
  const verified = await verifyContract(chain, c.address, {
    codeId: c.new_code_id,
    version: c.expected_version ?? c.migrate_msg.new_version,
    before: before.inflight_ids,
    refundAllowed: refunds(action),
  });
  return {
    transaction_hash: txHash,
    already_migrated: txHash === null,
    code_id: c.new_code_id,
    ...verified,
  };
}

/**
 * Rollback: migrate back to the code id recorded before, with the rollback message, and verify the same way.
 * Judged from the recorded intent as well as the flag, and checked on chain: a crash right after the migrate
 * transaction (before it was recorded as done) still rolls the contract back; one already back is only verified.
 */
export async function rollBackContract(svc: UpgradeServices, s: WorkflowState) {
  if (!s.config.contract) return { skipped: true };
  const record = await svc.upgrades.get(s.upgrade_id);
  const before = record?.contract_before;
  const chain = svc.chain();
  if (!before || !(record?.contract_migrated || record?.contract_migration))
    return { skipped: true, reason: 'the contract was not migrated' };
  const info = await chain.contractInfo(before.address);
  if (info.codeId === before.code_id && !record.contract_migrated) {
    // Only the intent was recorded: the migrate was refused or never reached the chain. Nothing to undo.
    await writeRecord(svc.upgrades, s.upgrade_id, recordPatch('contract', { contract_migration: null }));
    return {
      skipped: true,
      reason: `the contract is still on code ${before.code_id}: the migrate never took effect`,
    };
  }
  if (info.codeId !== before.code_id && info.admin !== (await chain.signerAddress())) {
    throw new StepFailure(
      'ContractRollbackNeedsGovernance',
      `contract ${before.address} runs code ${info.codeId}; migrating it back to code ${before.code_id} (version ${before.version}) needs a governance proposal by its admin ${info.admin ?? 'none'}`,
    );
  }
  if (info.codeId !== before.code_id) {
    await chain.migrate(before.address, before.code_id, {
      new_version: before.version,
      rollback: true,
      config: { preserve_inflight: true, stuck_settlement_action: 'preserve' },
    });
  }
  const verified = await verifyContract(chain, before.address, {
    codeId: before.code_id,
    version: before.version,
    before: before.inflight_ids,
    refundAllowed: refunds(spec(s).migrate_msg.config?.stuck_settlement_action),
  });
  await writeRecord(
    svc.upgrades,
    s.upgrade_id,
    recordPatch('contract', { contract_migrated: false, contract_migration: null }),
  );
  return { code_id: before.code_id, version: before.version, ...verified };
}

/** Governance mode: record the task token and tell the operator what to do; the workflow waits for confirm-migration. */
export async function waitForGovernance(svc: UpgradeServices, s: WorkflowState, taskToken: string) {
  const c = spec(s);
  const message =
    `migrate ${c.address} to code ${c.new_code_id} with the governance proposal (message: ${JSON.stringify(c.migrate_msg)}), ` +
    `then POST /admin/upgrade/${s.upgrade_id}/confirm-migration {"tx_hash": "..."}; rolls back after ${s.config.contract_governance_timeout_secs} s.`;
  await writeRecord(
    svc.upgrades,
    s.upgrade_id,
    recordPatch('contract', {
      governance: {
        task_token: taskToken,
        waiting_since: new Date(svc.clock.now()).toISOString(),
        tx_hash: null,
        confirmed_by: null,
      },
      current_step: 'Waiting for governance migration',
      result: { waiting_for: 'governance', message },
    }),
  );
  return { waiting: true, message };
}

/** Governance mode, once confirmed: the migration done by the proposal is verified like our own. */
export async function verifyGovernanceMigration(svc: UpgradeServices, s: WorkflowState) {
  const c = spec(s);
  const record = await svc.upgrades.get(s.upgrade_id);
  const before = record?.contract_before;
  if (!before)
    throw new StepFailure(
      'ContractVerificationFailed',
      'no contract snapshot was taken before the migration',
    );
  const chain = svc.chain();
  if ((await chain.contractInfo(c.address)).codeId !== before.code_id)
    await writeRecord(
      svc.upgrades,
      s.upgrade_id,
      recordPatch('contract', { contract_migrated: true, result: null }),
    );
  const verified = await verifyContract(chain, c.address, {
    codeId: c.new_code_id,
    version: c.expected_version ?? c.migrate_msg.new_version,
    before: before.inflight_ids,
    refundAllowed: refunds(c.migrate_msg.config?.stuck_settlement_action),
  });
  return { tx_hash: record?.governance?.tx_hash ?? null, code_id: c.new_code_id, ...verified };
}
