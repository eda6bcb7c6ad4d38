import { currentContract } from '../components/current-component.ts';
import { recordPatch, writeRecord } from '../record-patch.ts';
import type { UpgradeRecord } from '../upgrade-record.ts';
import type { UpgradeServices } from '../upgrade-services.ts';
import { StepFailure, type WorkflowState } from '../workflow-state.ts';
import {
  type ContractBefore,
  type ContractMigration,
  type NamedContractSpec,
  refunds,
} from './contract-spec.ts';
import { verifyContract } from './contract-verify.ts';

const beforeOf = (record: UpgradeRecord | null, name: string): ContractBefore | undefined =>
  record?.contracts_before?.find((b) => b.name === name);

const withMigration = (record: UpgradeRecord | null, m: ContractMigration): ContractMigration[] => {
  const list = record?.contract_migrations ?? [];
  return list.some((x) => x.name === m.name) ? list.map((x) => (x.name === m.name ? m : x)) : [...list, m];
};

const expectationOf = (c: NamedContractSpec) => ({
  codeId: c.new_code_id,
  version: c.expected_version ?? c.migrate_msg.new_version,
  refundAllowed: refunds(c),
  newConfig: c.migrate_msg.config?.new_config,
});

/**
 * Migrate the contract the workflow is at, then verify every claim. Safe to run again: the intent ("migrating to
 * code N") is recorded before the transaction, and a contract found on the new code already (a crash after the
 * transaction) is not migrated twice, only verified.
 */
export async function migrateContract(svc: UpgradeServices, s: WorkflowState) {
  const c = currentContract(s);
  const chain = svc.chain();
  const record = await svc.upgrades.get(s.upgrade_id);
  const before = beforeOf(record, c.name);
  if (!before)
    throw new StepFailure(
      'ContractMigrationFailed',
      `no snapshot of contract ${c.name} was taken before migrating`,
    );
  const save = async (m: ContractMigration) =>
    writeRecord(
      svc.upgrades,
      s.upgrade_id,
      recordPatch('contract', {
        contract_migrations: withMigration(await svc.upgrades.get(s.upgrade_id), m),
      }),
    );
  const migration: ContractMigration = {
    name: c.name,
    address: c.address,
    from_code_id: before.code_id,
    to_code_id: c.new_code_id,
    started_at: new Date(svc.clock.now()).toISOString(),
    migrated: false,
    rolled_back: false,
  };
  let txHash: string | null = null;
  if ((await chain.contractInfo(c.address)).codeId !== c.new_code_id) {
    await save(migration);
    const tx = await chain
      .migrate(c.address, c.new_code_id, c.migrate_msg as Record<string, unknown>)
      .catch((e: Error) => {
        throw new StepFailure(
          'ContractMigrationFailed',
          `migrate of ${c.name} (${c.address}) to code ${c.new_code_id} refused: ${e.message}`,
        );
      });
    txHash = tx.transactionHash;
  }
  await save({ ...migration, migrated: true });
  const verified = await verifyContract(chain, before, expectationOf(c));
  return {
    contract: c.name,
    transaction_hash: txHash,
    already_migrated: txHash === null,
    code_id: c.new_code_id,
    ...verified,
  };
}

/**
 * Rollback of one contract: migrate it back to the code id recorded before, with the rollback message, and verify
 * the same way. Judged from the recorded intent and checked on chain: a crash right after the migrate transaction
 * (before it was recorded as done) still rolls it back; one already back is only verified.
 */
export async function rollBackContract(svc: UpgradeServices, s: WorkflowState, m: ContractMigration) {
  const record = await svc.upgrades.get(s.upgrade_id);
  const before = beforeOf(record, m.name);
  const spec = s.config.contracts.find((c) => c.name === m.name);
  if (!before || !spec)
    throw new StepFailure('RollbackFailed', `no snapshot of contract ${m.name} to roll back to`);
  const chain = svc.chain();
  const done = (extra: Record<string, unknown>) =>
    writeRecord(
      svc.upgrades,
      s.upgrade_id,
      recordPatch('contract', {
        contract_migrations: withMigration(record, { ...m, migrated: false, rolled_back: true }),
      }),
    ).then(() => ({ contract: m.name, ...extra }));
  const info = await chain.contractInfo(before.address);
  if (info.codeId === before.code_id && !m.migrated)
    return done({ skipped: true, reason: `still on code ${before.code_id}: the migrate never took effect` });
  if (info.codeId !== before.code_id && info.admin !== (await chain.signerAddress()))
    throw new StepFailure(
      'ContractRollbackNeedsGovernance',
      `contract ${m.name} (${before.address}) runs code ${info.codeId}; migrating it back to code ${before.code_id} (version ${before.version}) needs a governance proposal by its admin ${info.admin ?? 'none'}`,
    );
  if (info.codeId !== before.code_id)
    await chain.migrate(before.address, before.code_id, {
      new_version: before.version,
      rollback: true,
      config: { preserve_inflight: true },
    });
  const verified = await verifyContract(chain, before, {
    codeId: before.code_id,
    version: before.version,
    refundAllowed: refunds(spec),
  });
  return done({ code_id: before.code_id, version: before.version, ...verified });
}

/** Governance mode: record the task token and tell the operator what to do; the workflow waits for confirm-migration. */
export async function waitForGovernance(svc: UpgradeServices, s: WorkflowState, taskToken: string) {
  const c = currentContract(s);
  const message =
    `migrate ${c.name} (${c.address}) to code ${c.new_code_id} with the governance proposal (message: ${JSON.stringify(c.migrate_msg)}), ` +
    `then POST /admin/upgrade/${s.upgrade_id}/confirm-migration {"tx_hash": "..."}; rolls back after ${c.governance?.timeout_secs ?? 0} s.`;
  await writeRecord(
    svc.upgrades,
    s.upgrade_id,
    recordPatch('contract', {
      governance: {
        contract: c.name,
        task_token: taskToken,
        waiting_since: new Date(svc.clock.now()).toISOString(),
        tx_hash: null,
        confirmed_by: null,
      },
      current_step: 'Waiting for governance migration',
      result: { waiting_for: 'governance', contract: c.name, message },
    }),
  );
  return { waiting: true, message };
}

/** Governance mode, once confirmed: the migration done by the proposal is verified like our own. */
export async function verifyGovernanceMigration(svc: UpgradeServices, s: WorkflowState) {
  const c = currentContract(s);
  const record = await svc.upgrades.get(s.upgrade_id);
  const before = beforeOf(record, c.name);
  if (!before)
    throw new StepFailure(
      'ContractVerificationFailed',
      `no snapshot of contract ${c.name} was taken before the migration`,
    );
  const chain = svc.chain();
  if ((await chain.contractInfo(c.address)).codeId !== before.code_id)
    await writeRecord(
      svc.upgrades,
      s.upgrade_id,
      recordPatch('contract', {
        contract_migrations: withMigration(record, {
          name: c.name,
          address: c.address,
          from_code_id: before.code_id,
          to_code_id: c.new_code_id,
          started_at: record?.governance?.waiting_since ?? new Date(svc.clock.now()).toISOString(),
          migrated: true,
          rolled_back: false,
        }),
        result: null,
      }),
    );
  const verified = await verifyContract(chain, before, expectationOf(c));
  return {
    contract: c.name,
    tx_hash: record?.governance?.tx_hash ?? null,
    code_id: c.new_code_id,
    ...verified,
  };
}
