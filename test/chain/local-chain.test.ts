import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalChain } from '../../local/engines/local-chain.ts';
import { SimulatedChain } from '../../shared/adapters/chain/simulated-chain.ts';
import { settlementWasm } from './fixtures.ts';

// The embedded stack's chain (npm start): what a new data folder gets, and what an older one gets at its next start.
const dirs: string[] = [];
const dataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'ucp-local-chain-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

interface Bonds {
  bonds: { solver: string; amount: string; escrows: number }[];
  count: number;
}

describe('local chain', () => {
  it('gives a new data folder settlement v1 and escrow v1 (three locked, two solvers), each with v2 uploaded', async () => {
    const dir = dataDir();
    const { chain, contracts } = await startLocalChain(dir);
    expect(contracts).toMatchObject({ v1CodeId: 1, v2CodeId: 2, escrowV1CodeId: 3, escrowV2CodeId: 4 });
    expect(contracts.escrowV2Checksum).toMatch(/^[0-9a-f]{64}$/);
    expect((await chain.codeDetails(contracts.escrowV2CodeId)).checksum).toBe(contracts.escrowV2Checksum);
    expect((await chain.contractInfo(contracts.escrow)).codeId).toBe(contracts.escrowV1CodeId);
    expect(await chain.query(contracts.escrow, { config: {} })).toMatchObject({
      contract: 'escrow',
      admin: await chain.signerAddress(),
      version: '1.0.0',
      settlement_contract: contracts.settlement,
    });
    const locked = await chain.query<{ count: number }>(contracts.escrow, { locked_escrows: {} });
    expect(locked.count).toBe(3);
    const bonds = await chain.query<Bonds>(contracts.escrow, { solver_bonds: {} });
    expect(bonds.count).toBe(2);
    expect(bonds.bonds.map((b) => b.escrows).sort()).toEqual([1, 2]);
    const settlements = await chain.query<{ count: number }>(contracts.settlement, {
      inflight_settlements: {},
    });
    expect(settlements.count).toBe(3);

    // A restart keeps the same contracts (nothing added twice).
    const again = await startLocalChain(dir);
    expect(again.contracts).toEqual(contracts);
    expect(JSON.parse(readFileSync(join(dir, 'chain-contracts.json'), 'utf8'))).toEqual(contracts);
  });

  it('adds the escrow contract to a data folder made before it existed, keeping the settlement contract', async () => {
    const dir = dataDir();
    // An older data folder: the settlement contract alone, and a chain-contracts.json without escrow fields.
    const sim = SimulatedChain.create();
    const v1 = await sim.upload(settlementWasm(1));
    const v2 = await sim.upload(settlementWasm(2));
    const { address } = await sim.instantiate(v1.codeId, {}, 'settlement', {
      admin: await sim.signerAddress(),
    });
    await sim.execute(address, {
      create_settlement: {
        id: 'old-1',
        user_funds_locked: true,
        solver_funds_locked: true,
        timeout_seconds: 60,
      },
    });
    writeFileSync(join(dir, 'chain.json'), await sim.save());
    const older = {
      settlement: address,
      v1CodeId: v1.codeId,
      v2CodeId: v2.codeId,
      v2Checksum: 'c'.repeat(64),
    };
    writeFileSync(join(dir, 'chain-contracts.json'), JSON.stringify(older));

    const { chain, contracts } = await startLocalChain(dir);
    expect(contracts).toMatchObject({ ...older, escrowV1CodeId: 3, escrowV2CodeId: 4 });
    expect(await chain.query(contracts.escrow, { config: {} })).toMatchObject({
      settlement_contract: address,
    });
    expect((await chain.query<Bonds>(contracts.escrow, { solver_bonds: {} })).count).toBe(2);
    expect(await chain.query(address, { settlement: { id: 'old-1' } })).toMatchObject({ status: 'inflight' });

    const again = await startLocalChain(dir);
    expect(again.contracts).toEqual(contracts);
  });
});
