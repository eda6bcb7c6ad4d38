import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SimulatedChain } from '../../shared/adapters/chain/simulated-chain.ts';
import type { ChainPort } from '../../shared/chain/chain-port.ts';
import { crashPoint } from '../workflow/crash-hook.ts';
import { type ChainRpc, startChainRpc } from './chain-rpc/rpc-server.ts';

/** The file in the data folder naming the chain's RPC endpoint (the sample relayer reads it each round). */
export const CHAIN_RPC_URL_FILE = 'chain-rpc-url';

const wasm = (version: 1 | 2, name: 'settlement' | 'escrow' = 'settlement') =>
  readFileSync(join(import.meta.dirname, `../../contracts/${name}/build/${name}-v${version}.wasm`));
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** What the embedded runtime deployed on its simulated chain, for the operator's first contract upgrade. */
export interface LocalContracts {
  readonly settlement: string;
  readonly v1CodeId: number;
  readonly v2CodeId: number;
  readonly v2Checksum: string;
  /** The escrow contract beside it (v1, admin = the signer, `settlement_contract` = the settlement's address). */
  readonly escrow: string;
  readonly escrowV1CodeId: number;
  readonly escrowV2CodeId: number;
  readonly escrowV2Checksum: string;
}

/** `chain-contracts.json` as read: data folders made before the escrow contract existed lack its fields. */
type StoredContracts = Omit<LocalContracts, EscrowField> & Partial<Pick<LocalContracts, EscrowField>>;
type EscrowField = 'escrow' | 'escrowV1CodeId' | 'escrowV2CodeId' | 'escrowV2Checksum';

type Sim = Awaited<ReturnType<typeof SimulatedChain.create>>;

/** Escrow v1 with three locked escrows (two solvers), and v2 uploaded, ready to migrate. */
async function addEscrow(sim: Sim, settlement: string): Promise<Pick<LocalContracts, EscrowField>> {
  const admin = await sim.signerAddress();
  const v1 = await sim.upload(wasm(1, 'escrow'));
  const v2 = await sim.upload(wasm(2, 'escrow'));
  const { address } = await sim.instantiate(v1.codeId, { settlement_contract: settlement }, 'escrow', {
    admin,
  });
  const solvers = [
    'wasm1qgpqyqszqgpqyqszqgpqyqszqgpqyqszftkw0p',
    'wasm1qvpsxqcrqvpsxqcrqvpsxqcrqvpsxqcrgmh09q',
  ];
  for (const [i, id] of ['demo-escrow-1', 'demo-escrow-2', 'demo-escrow-3'].entries())
    await sim.execute(address, {
      lock: {
        id,
        user: admin,
        solver: solvers[i % 2],
        user_amount: '1000',
        solver_bond: '250',
        timeout_seconds: 86_400,
      },
    });
  return {
    escrow: address,
    escrowV1CodeId: v1.codeId,
    escrowV2CodeId: v2.codeId,
    escrowV2Checksum: sha256(wasm(2, 'escrow')),
  };
}

/**
 * The embedded runtime's chain: the CosmWasm VM of cw-simulate, saved as JSON in the data folder after every
 * change (so a restart keeps contracts and settlements). A new data folder gets the settlement contract v1 with
 * three inflight settlements and the escrow contract v1 with three locked escrows, each with v2 uploaded, ready to
 * migrate.
 */
export async function startLocalChain(
  dataDir: string,
  opts: { rpcPort?: number } = {},
): Promise<{ chain: ChainPort; contracts: LocalContracts; rpc: ChainRpc }> {
  const file = join(dataDir, 'chain.json');
  const metaFile = join(dataDir, 'chain-contracts.json');
  const sim = existsSync(file)
    ? await SimulatedChain.load(readFileSync(file, 'utf8'))
    : SimulatedChain.create();
  const persist = async () => {
    writeFileSync(`${file}.tmp`, await sim.save());
    renameSync(`${file}.tmp`, file);
  };
  let stored: StoredContracts;
  if (existsSync(metaFile)) {
    stored = JSON.parse(readFileSync(metaFile, 'utf8')) as StoredContracts;
  } else {
    const v1 = await sim.upload(wasm(1));
    const v2 = await sim.upload(wasm(2));
    const { address } = await sim.instantiate(v1.codeId, {}, 'settlement', {
      admin: await sim.signerAddress(),
    });
    for (const id of ['demo-settlement-1', 'demo-settlement-2', 'demo-settlement-3']) {
      await sim.execute(address, {
        create_settlement: {
          id,
          user_funds_locked: true,
          solver_funds_locked: true,
          timeout_seconds: 86_400,
          amount: '1000',
        },
      });
    }
    stored = {
      settlement: address,
      v1CodeId: v1.codeId,
      v2CodeId: v2.codeId,
      v2Checksum: sha256(wasm(2)),
    };
  }
  const { escrow, escrowV1CodeId, escrowV2CodeId, escrowV2Checksum } = stored;
  let contracts: LocalContracts;
  if (escrow && escrowV1CodeId && escrowV2CodeId && escrowV2Checksum) {
    contracts = { ...stored, escrow, escrowV1CodeId, escrowV2CodeId, escrowV2Checksum };
  } else {
    // A new data folder, or one made before the escrow contract existed: the chain first, then the file naming it.
    contracts = { ...stored, ...(await addEscrow(sim, stored.settlement)) };
    await persist();
    writeFileSync(metaFile, `${JSON.stringify(contracts, null, 2)}\n`);
  }
  // The chain's CometBFT RPC endpoint: what the IBC verification reads through CosmJS, and where the sample relayer
  // relays (each relay saved like any other change). Its URL is kept beside the chain for the sample services.
  const rpc = await startChainRpc(sim, { port: opts.rpcPort ?? 0, onChange: persist });
  writeFileSync(join(dataDir, CHAIN_RPC_URL_FILE), `${rpc.url}\n`);
  // Every change is saved; reads go straight through.
  const chain: ChainPort = {
    upload: (w) => sim.upload(w).finally(persist),
    instantiate: (c, m, l, o) => sim.instantiate(c, m, l, o).finally(persist),
    execute: (a, m, f) => sim.execute(a, m, f).finally(persist),
    migrate: async (a, c, m) => {
      const tx = await sim.migrate(a, c, m).finally(persist);
      crashPoint('chain.migrate', 'after'); // test hook only (see crash-hook.ts)
      return tx;
    },
    query: (a, m) => sim.query(a, m),
    codeDetails: (c) => sim.codeDetails(c),
    contractInfo: (a) => sim.contractInfo(a),
    signerAddress: () => sim.signerAddress(),
  };
  return { chain, contracts, rpc };
}
