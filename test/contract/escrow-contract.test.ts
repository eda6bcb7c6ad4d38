import { beforeAll, describe, expect, it } from 'vitest';
import { SimulatedChain } from '../../shared/adapters/chain/simulated-chain.ts';
import { isChainError } from '../../shared/chain/chain-error.ts';
import { escrowWasm, OTHER } from '../chain/fixtures.ts';

// The committed escrow contract (contracts/escrow) in a real CosmWasm VM (cw-simulate).
const USER = 'wasm1q5zs2pg9q5zs2pg9q5zs2pg9q5zs2pg9fm3tga';
const SOLVER_B = 'wasm1qszqgpqyqszqgpqyqszqgpqyqszqgpqygts2zu';

interface Escrow {
  id: string;
  status: string;
  user_amount: string;
  solver_bond: string;
  timeout_at: number;
  solver: string;
}

async function refused(p: Promise<unknown>): Promise<string> {
  const e: unknown = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  if (!isChainError(e)) throw new Error(`expected a refusal, got ${String(e)}`);
  return e.message;
}

describe('escrow contract', () => {
  const chain = SimulatedChain.create({ chainId: 'escrow-test-1' });
  let admin: string;
  let v1: number;
  let v2: number;
  const now = 1_800_000_000;

  beforeAll(async () => {
    admin = await chain.signerAddress();
    v1 = (await chain.upload(escrowWasm(1))).codeId;
    v2 = (await chain.upload(escrowWasm(2))).codeId;
    chain.setBlockTime(now);
  });

  const lock = (address: string, id: string, solver: string = OTHER.solver, bond = '500', timeout = 3600) =>
    chain.execute(address, {
      lock: { id, user: USER, solver, user_amount: '1000', solver_bond: bond, timeout_seconds: timeout },
    });
  const escrow = (address: string, id: string) => chain.query<Escrow>(address, { escrow: { id } });
  async function fresh(ids: string[]): Promise<string> {
    const { address } = await chain.instantiate(v1, { denom: 'uosmo' }, 'escrow', { admin });
    for (const id of ids) await lock(address, id, id.endsWith('b') ? SOLVER_B : OTHER.solver);
    return address;
  }

  it('locks, releases to the solver and refunds to the user, once each, by the creator or the admin', async () => {
    const address = await fresh(['e-1', 'e-2']);
    expect(await escrow(address, 'e-1')).toMatchObject({
      status: 'locked',
      user_amount: '1000',
      solver_bond: '500',
    });
    expect(await refused(lock(address, 'e-1'))).toContain('Escrow already exists: e-1');
    const attrs = await chain.execute(address, { release: { id: 'e-1' } });
    expect(JSON.stringify(attrs.events)).toContain(OTHER.solver);
    expect((await escrow(address, 'e-1')).status).toBe('released');
    expect(await refused(chain.execute(address, { refund: { id: 'e-1' } }))).toContain(
      'is not locked (status: released)',
    );
    expect(
      await refused(chain.withSigner(OTHER.stranger).execute(address, { refund: { id: 'e-2' } })),
    ).toContain('Unauthorized');
    await chain.execute(address, { refund: { id: 'e-2' } });
    expect((await escrow(address, 'e-2')).status).toBe('refunded');
    expect(await refused(chain.execute(address, { lock: { id: 'x', user: USER } }))).toContain(
      "missing field 'solver'",
    );
    expect(await refused(chain.execute(address, { release: { id: 'e-9', extra: 1 } }))).toContain(
      "unknown field 'extra'",
    );
  });

  it('pages locked escrows and sums each solver bond over its locked escrows', async () => {
    const ids = Array.from({ length: 7 }, (_, i) => `p-${i}${i % 3 === 0 ? 'b' : ''}`);
    const address = await fresh(ids);
    await chain.execute(address, { release: { id: 'p-1' } });
    const first = await chain.query<{ escrows: Escrow[]; count: number }>(address, {
      locked_escrows: { limit: 4 },
    });
    expect(first.count).toBe(6);
    const rest = await chain.query<{ escrows: Escrow[] }>(address, {
      locked_escrows: { start_after: first.escrows[3]?.id, limit: 100 },
    });
    expect([...first.escrows, ...rest.escrows].map((e) => e.id)).toEqual(ids.filter((id) => id !== 'p-1'));
    const bonds = await chain.query<{
      bonds: { solver: string; amount: string; escrows: number }[];
      count: number;
    }>(address, { solver_bonds: {} });
    expect(bonds.count).toBe(2);
    expect(bonds.bonds).toEqual(
      [
        { solver: OTHER.solver, amount: '1500', escrows: 3 },
        { solver: SOLVER_B, amount: '1500', escrows: 3 },
      ].sort((a, b) => a.solver.localeCompare(b.solver)),
    );
    const paged = await chain.query<{ bonds: { solver: string }[] }>(address, { solver_bonds: { limit: 1 } });
    expect(paged.bonds).toHaveLength(1);
  });

  it('migrates v1 to v2 keeping locked escrows, refunding or extending stuck ones, and applying new_config', async () => {
    const address = await fresh(['m-1', 'm-2']);
    await lock(address, 'stuck-1', OTHER.solver, '100', 0);
    await lock(address, 'stuck-2', OTHER.solver, '100', 0);
    chain.setBlockTime(now + 10);
    expect(
      await refused(
        chain.migrate(address, v2, { new_version: '2.0.0', config: { preserve_inflight: false } }),
      ),
    ).toContain('Locked escrows exist: 4 escrows');
    expect(await refused(chain.migrate(address, v2, { new_version: '1.0.0' }))).toContain('is not newer');
    expect(
      await refused(
        chain.migrate(address, v2, { new_version: '2.0.0', config: { stuck_settlement_action: 'refund' } }),
      ),
    ).toContain("unknown field 'stuck_settlement_action'");
    await chain.migrate(address, v2, {
      new_version: '2.0.0',
      config: {
        preserve_inflight: true,
        stuck_escrow_action: 'refund',
        extend_timeout_secs: 60,
        new_config: { denom: 'uatom' },
      },
    });
    expect(await chain.query(address, { migration_info: {} })).toMatchObject({
      previous_version: '1.0.0',
      current_version: '2.0.0',
      preserved_inflight_count: 2,
    });
    expect((await escrow(address, 'stuck-1')).status).toBe('refunded');
    expect((await escrow(address, 'm-1')).timeout_at).toBe(now + 3600 + 60);
    expect(await chain.query(address, { config: {} })).toMatchObject({
      contract: 'escrow',
      version: '2.0.0',
      denom: 'uatom',
      features: ['stuck_escrows_query'],
    });
    // The control plane's rollback message: back to v1, everything locked preserved.
    await chain.migrate(address, v1, {
      new_version: '1.0.0',
      rollback: true,
      config: { preserve_inflight: true },
    });
    expect(await chain.query(address, { config: {} })).toMatchObject({ version: '1.0.0' });
    expect((await escrow(address, 'm-2')).status).toBe('locked');
    expect(await refused(chain.query(address, { stuck_escrows: {} }))).toContain(
      "Unknown query 'stuck_escrows'",
    );
  });

  it('extends a stuck escrow with extend_timeout, and only the admin may extend timeouts', async () => {
    const address = await fresh([]);
    await lock(address, 'x-1', OTHER.solver, '1', 0);
    chain.setBlockTime(now + 100);
    await chain.migrate(address, v2, {
      new_version: '2.0.0',
      config: { stuck_escrow_action: { extend_timeout: { additional_seconds: 500 } } },
    });
    const stuck = await chain.query<{ count: number }>(address, { stuck_escrows: {} });
    expect(stuck.count).toBe(0);
    expect(
      await refused(
        chain
          .withSigner(OTHER.stranger)
          .execute(address, { extend_timeout: { id: 'x-1', additional_seconds: 1 } }),
      ),
    ).toContain('only the admin');
  });
});
