import { createHash } from 'node:crypto';
import { startSampleBackend } from '../../local/sample-backend.ts';
import { SimulatedChain } from '../../shared/adapters/chain/simulated-chain.ts';
import { escrowWasm, OTHER, settlementWasm } from '../chain/fixtures.ts';

/**
 * The intent-settlement system of seed 000 on a simulated chain (cw-simulate) and local replicas: the settlement
 * contract with inflight settlements, the escrow contract with locked escrows, and two backend services. What one upgrade that
 * moves all of them needs: its request, and a read of where every part stands.
 */
export interface WholeSystem {
  readonly chain: SimulatedChain;
  readonly contracts: Record<
    'settlement' | 'escrow',
    { address: string; v1: number; v2: number; checksum: string }
  >;
  readonly services: Record<'orchestrator' | 'relayer', Awaited<ReturnType<typeof startSampleBackend>>>;
  readonly inflight: Record<'settlement' | 'escrow', string[]>;
  stop(): Promise<void>;
}

type Faults = Parameters<typeof startSampleBackend>[0]['faults'];

const sha = (wasm: Uint8Array) => createHash('sha256').update(wasm).digest('hex');

export async function startWholeSystem(
  faults: { orchestrator?: Faults; relayer?: Faults } = {},
): Promise<WholeSystem> {
  const chain = SimulatedChain.create();
  const admin = await chain.signerAddress();
  const inflight = { settlement: ['s-1', 's-2', 's-3'], escrow: ['e-1', 'e-2'] };
  const code = async (wasm: (v: 1 | 2) => Uint8Array) => ({
    v1: (await chain.upload(wasm(1))).codeId,
    v2: (await chain.upload(wasm(2))).codeId,
    checksum: sha(wasm(2)),
  });
  const settlementCode = await code(settlementWasm);
  const escrowCode = await code(escrowWasm);
  const settlement = await chain.instantiate(settlementCode.v1, {}, 'settlement', { admin });
  for (const id of inflight.settlement)
    await chain.execute(settlement.address, {
      create_settlement: {
        id,
        user_funds_locked: true,
        solver_funds_locked: true,
        timeout_seconds: 3600,
        amount: '1000',
      },
    });
  const escrow = await chain.instantiate(
    escrowCode.v1,
    { settlement_contract: settlement.address },
    'escrow',
    { admin },
  );
  for (const id of inflight.escrow)
    await chain.execute(escrow.address, {
      lock: {
        id,
        user: admin,
        solver: OTHER.solver,
        user_amount: '1000',
        solver_bond: '250',
        timeout_seconds: 3600,
      },
    });
  const contracts = {
    settlement: { address: settlement.address, ...settlementCode },
    escrow: { address: escrow.address, ...escrowCode },
  };
  const services = {
    orchestrator: await startSampleBackend({
      replicas: 2,
      version: '1.0.0',
      restartMs: 50,
      faults: faults.orchestrator,
    }),
    relayer: await startSampleBackend({
      replicas: 2,
      version: '1.0.0',
      restartMs: 50,
      faults: faults.relayer,
    }),
  };
  return {
    chain,
    contracts,
    services,
    inflight,
    stop: async () => {
      await Promise.all(Object.values(services).map((s) => s.stop()));
    },
  };
}

/** The upgrade request that moves both contracts and both services, in the seeds' order (contracts, then services). */
export function wholeSystemRequest(sys: WholeSystem, overrides: { escrowVersion?: string } = {}) {
  const contract = (name: 'settlement' | 'escrow', extra: Record<string, unknown> = {}) => ({
    name,
    address: sys.contracts[name].address,
    new_code_id: sys.contracts[name].v2,
    expected_checksum: sys.contracts[name].checksum,
    migrate_msg: { new_version: '2.0.0', config: { preserve_inflight: true } },
    ...extra,
  });
  const service = (name: 'orchestrator' | 'relayer') => ({
    name,
    deploy: {
      mode: 'hooks',
      targets: sys.services[name].targets,
      replica_timeout_secs: 3,
      request_timeout_secs: 2,
      retries: 0,
    },
  });
  return {
    target_version: '2.0.0',
    reason: 'the whole system',
    contracts: [
      contract('settlement'),
      contract('escrow', overrides.escrowVersion ? { expected_version: overrides.escrowVersion } : {}),
    ],
    services: [service('orchestrator'), service('relayer')],
  };
}

/** Where every part stands: each contract's code id and version, each replica's version, and the inflight entries. */
export async function whereItStands(sys: WholeSystem) {
  const contracts: Record<string, { code: number; version: string; inflight: string[] }> = {};
  for (const [name, c] of Object.entries(sys.contracts)) {
    const info = await sys.chain.contractInfo(c.address);
    const config = await sys.chain.query<{ version: string }>(c.address, { config: {} });
    const page = await sys.chain.query<{ settlements?: { id: string }[]; escrows?: { id: string }[] }>(
      c.address,
      name === 'escrow' ? { locked_escrows: { limit: 100 } } : { inflight_settlements: { limit: 100 } },
    );
    const entries = page.settlements ?? page.escrows ?? [];
    contracts[name] = { code: info.codeId, version: config.version, inflight: entries.map((x) => x.id) };
  }
  const replicas = Object.fromEntries(Object.entries(sys.services).map(([name, s]) => [name, s.versions()]));
  return { contracts, replicas };
}
