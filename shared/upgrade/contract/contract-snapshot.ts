import { recordPatch, writeRecord } from '../record-patch.ts';
import type { UpgradeServices } from '../upgrade-services.ts';
import { StepFailure, type WorkflowState } from '../workflow-state.ts';
import {
  allInflight,
  allSolverBonds,
  type InflightEntry,
  kindOf,
  readConfig,
  type SolverBond,
} from './contract-queries.ts';
import type { ContractBefore, NamedContractSpec } from './contract-spec.ts';

/**
 * Before any drain, for each contract of the upgrade: the new code exists and its checksum is the expected one, the
 * signer is the contract's admin (unless governance migrates it), and its code id, version and config are recorded
 * (the rollback target). The first problem refuses the upgrade, naming the contract.
 */
export async function preCheckContracts(svc: UpgradeServices, s: WorkflowState): Promise<ContractBefore[]> {
  if (!s.config.contracts.length) return [];
  const chain = svc.chain();
  const signer = await chain.signerAddress();
  const befores: ContractBefore[] = [];
  for (const c of s.config.contracts) {
    const refuse = (why: string) =>
      new StepFailure('PreChecksFailed', `contract pre-check (${c.name}): ${why}`);
    const code = await chain.codeDetails(c.new_code_id).catch((e: Error) => {
      throw refuse(`new code ${c.new_code_id} not found (${e.message})`);
    });
    if (code.checksum.toLowerCase() !== c.expected_checksum.toLowerCase())
      throw refuse(`code ${c.new_code_id} has checksum ${code.checksum}, expected ${c.expected_checksum}`);
    const info = await chain.contractInfo(c.address).catch((e: Error) => {
      throw refuse(`no contract at ${c.address} (${e.message})`);
    });
    if (!c.governance && info.admin !== signer)
      throw refuse(`the signer ${signer} is not the admin of ${c.address} (admin: ${info.admin ?? 'none'})`);
    const config = await readConfig(chain, c.address);
    befores.push(beforeOf(c, info.codeId, config, []));
  }
  if (befores.length)
    await writeRecord(svc.upgrades, s.upgrade_id, recordPatch('contract', { contracts_before: befores }));
  return befores;
}

const beforeOf = (
  c: NamedContractSpec,
  codeId: number,
  config: Record<string, unknown>,
  inflight: readonly string[],
): ContractBefore => ({
  name: c.name,
  address: c.address,
  kind: kindOf(config),
  code_id: codeId,
  version: String(config.version ?? 'unknown'),
  inflight_ids: inflight,
  config,
});

/** What the checkpoint holds of the contracts (seed 001's list), each entry tagged with its contract's name. */
export interface ContractsSnapshot {
  readonly before: ContractBefore[];
  readonly settlements: (InflightEntry & { contract: string })[];
  readonly escrows: (InflightEntry & { contract: string })[];
  readonly bonds: (SolverBond & { contract: string })[];
}

/** For the checkpoint: each contract's code id, version, config and inflight state (settlements, escrows, bonds). */
export async function snapshotContracts(svc: UpgradeServices, s: WorkflowState): Promise<ContractsSnapshot> {
  const out: ContractsSnapshot = { before: [], settlements: [], escrows: [], bonds: [] };
  if (!s.config.contracts.length) return out;
  const chain = svc.chain();
  for (const c of s.config.contracts) {
    const [info, config] = await Promise.all([chain.contractInfo(c.address), readConfig(chain, c.address)]);
    const kind = kindOf(config);
    const [inflight, bonds] = await Promise.all([
      allInflight(chain, c.address, kind),
      allSolverBonds(chain, c.address, kind),
    ]);
    out.before.push(
      beforeOf(
        c,
        info.codeId,
        config,
        inflight.map((x) => x.id),
      ),
    );
    (kind === 'escrow' ? out.escrows : out.settlements).push(
      ...inflight.map((x) => ({ ...x, contract: c.name })),
    );
    out.bonds.push(...bonds.map((b) => ({ ...b, contract: c.name })));
  }
  if (out.before.length)
    await writeRecord(svc.upgrades, s.upgrade_id, recordPatch('contract', { contracts_before: out.before }));
  return out;
}

/** Gives every inflight settlement and locked escrow more time on-chain (`extend_timeout {id, additional_seconds}`). */
export async function extendContractTimeouts(svc: UpgradeServices, s: WorkflowState): Promise<number> {
  if (!s.config.contracts.length) return 0;
  const chain = svc.chain();
  let n = 0;
  for (const c of s.config.contracts) {
    const inflight = await allInflight(chain, c.address, kindOf(await readConfig(chain, c.address)));
    for (const x of inflight)
      await chain.execute(c.address, {
        extend_timeout: { id: x.id, additional_seconds: s.config.extend_timeout_secs },
      });
    n += inflight.length;
  }
  return n;
}
