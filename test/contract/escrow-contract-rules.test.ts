import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { SimulatedChain } from '../../shared/adapters/chain/simulated-chain.ts';
import { isChainError } from '../../shared/chain/chain-error.ts';
import type { JsonMessage } from '../../shared/chain/chain-port.ts';
import { escrowWasm, OTHER } from '../chain/fixtures.ts';

// The escrow contract's interface in detail (the committed wasm in cw-simulate): defaults, records, paging limits,
// the v2 stuck query, and the migrate rules escrow-contract.test.ts does not reach.
const USER = 'wasm1q5zs2pg9q5zs2pg9q5zs2pg9q5zs2pg9fm3tga';
const SOLVER_B = 'wasm1qszqgpqyqszqgpqyqszqgpqyqszqgpqygts2zu';

interface Page {
  escrows: { id: string }[];
  count: number;
}
interface Bonds {
  bonds: { solver: string; amount: string; escrows: number }[];
  count: number;
}

async function refused(p: Promise<unknown>): Promise<string> {
  const e: unknown = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  if (!isChainError(e)) throw new Error(`expected a refusal, got ${String(e)}`);
  return e.message;
}

describe('escrow contract rules', () => {
  const chain = SimulatedChain.create({ chainId: 'escrow-rules-1' });
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

  const instantiate = async (msg: JsonMessage = {}) =>
    (await chain.instantiate(v1, msg, 'escrow', { admin })).address;
  const lock = (address: string, id: string, solver: string = OTHER.solver, timeout = 3600, bond = '500') =>
    chain.execute(address, {
      lock: { id, user: USER, solver, user_amount: '1000', solver_bond: bond, timeout_seconds: timeout },
    });
  const ids = (n: number) => Array.from({ length: n }, (_, i) => `e-${String(i).padStart(3, '0')}`);

  it('runs the committed wasm listed in build/SHA256SUMS (v1 and v2 differ)', async () => {
    const sums = readFileSync(new URL('../../contracts/escrow/build/SHA256SUMS', import.meta.url), 'utf8');
    const checksums = [];
    for (const [version, codeId] of [
      [1, v1],
      [2, v2],
    ] as const) {
      const { checksum } = await chain.codeDetails(codeId);
      expect(checksum).toBe(createHash('sha256').update(escrowWasm(version)).digest('hex'));
      expect(sums).toContain(`${checksum}  escrow-v${version}.wasm`);
      checksums.push(checksum);
    }
    expect(checksums[0]).not.toBe(checksums[1]);
  });

  it('instantiates with the sender as admin, no settlement contract and uatom; v1 lists no features', async () => {
    const address = await instantiate();
    expect(await chain.query(address, { config: {} })).toEqual({
      contract: 'escrow',
      admin,
      version: '1.0.0',
      settlement_contract: null,
      denom: 'uatom',
    });
    expect(await chain.query(address, { migration_info: {} })).toEqual({
      previous_version: null,
      current_version: '1.0.0',
      migrated_at: null,
      preserved_inflight_count: null,
    });
    expect(await refused(instantiate({ admin: 'not-an-address' }))).toContain(
      "Invalid admin address 'not-an-address'",
    );
    expect(await refused(instantiate({ denom: 'x' }))).toContain('Invalid denom');
    expect(await refused(instantiate({ owner: admin }))).toContain("unknown field 'owner'");
  });

  it('records who locked, when and until when; checks user and solver addresses and the amounts', async () => {
    const address = await instantiate({ settlement_contract: OTHER.stranger });
    await chain.withSigner(OTHER.stranger).execute(address, {
      lock: {
        id: 'r-1',
        user: USER,
        solver: SOLVER_B,
        user_amount: '340282366920938463463374607431768211455',
        solver_bond: '0',
        timeout_seconds: '90',
      },
    });
    expect(await chain.query(address, { escrow: { id: 'r-1' } })).toEqual({
      id: 'r-1',
      creator: OTHER.stranger,
      user: USER,
      solver: SOLVER_B,
      user_amount: '340282366920938463463374607431768211455',
      solver_bond: '0',
      status: 'locked',
      created_at: now,
      timeout_at: now + 90,
    });
    expect(await refused(chain.query(address, { escrow: { id: 'r-9' } }))).toContain('Escrow not found: r-9');
    const bad = (field: string, value: unknown) =>
      refused(
        chain.execute(address, {
          lock: {
            id: 'r-2',
            user: USER,
            solver: SOLVER_B,
            user_amount: '1',
            solver_bond: '1',
            timeout_seconds: 1,
            [field]: value,
          },
        }),
      );
    expect(await bad('user', 'cosmos1nope')).toContain("Invalid user address 'cosmos1nope'");
    expect(await bad('solver', 'wasm1xyz')).toContain("Invalid solver address 'wasm1xyz'");
    expect(await bad('user_amount', '-1')).toContain("field 'user_amount' must be a Uint128");
    expect(await bad('solver_bond', 5)).toContain("field 'solver_bond' must be a Uint128");
    expect(await bad('id', 'bad id')).toContain("Invalid escrow id 'bad id'");
    // The admin (not the creator) may release; only the admin may extend.
    await chain.execute(address, { extend_timeout: { id: 'r-1', additional_seconds: 10 } });
    expect(await chain.query(address, { escrow: { id: 'r-1' } })).toMatchObject({ timeout_at: now + 100 });
    await chain.execute(address, { release: { id: 'r-1' } });
    expect(
      await refused(chain.execute(address, { extend_timeout: { id: 'r-1', additional_seconds: 10 } })),
    ).toContain('Escrow r-1 is not locked (status: released)');
  });

  it('pages locked escrows and solver bonds 30 by default and at most 100', async () => {
    const address = await instantiate();
    const all = ids(105);
    for (const [i, id] of all.entries()) await lock(address, id, i % 2 ? SOLVER_B : OTHER.solver);
    const first = await chain.query<Page>(address, { locked_escrows: {} });
    expect(first.escrows.map((e) => e.id)).toEqual(all.slice(0, 30));
    expect(first.count).toBe(105);
    const capped = await chain.query<Page>(address, { locked_escrows: { limit: 1000 } });
    expect(capped.escrows).toHaveLength(100);
    const tail = await chain.query<Page>(address, { locked_escrows: { start_after: 'e-099', limit: 100 } });
    expect(tail.escrows.map((e) => e.id)).toEqual(all.slice(100));
    // start_after need not exist.
    const between = await chain.query<Page>(address, { locked_escrows: { start_after: 'e-0995', limit: 2 } });
    expect(between.escrows.map((e) => e.id)).toEqual(['e-100', 'e-101']);

    const bonds = await chain.query<Bonds>(address, { solver_bonds: {} });
    const solvers = [OTHER.solver, SOLVER_B].sort();
    expect(bonds.count).toBe(2);
    expect(bonds.bonds.map((b) => b.solver)).toEqual(solvers);
    const after = await chain.query<Bonds>(address, { solver_bonds: { start_after: solvers[0], limit: 5 } });
    expect(after).toEqual({
      bonds: [
        {
          solver: solvers[1],
          amount: solvers[1] === OTHER.solver ? '26500' : '26000',
          escrows: solvers[1] === OTHER.solver ? 53 : 52,
        },
      ],
      count: 2,
    });
    // start_after need not be a solver: 'wasm1' sorts before every address, 'wasm2' after.
    const fromStart = await chain.query<Bonds>(address, { solver_bonds: { start_after: 'wasm1', limit: 1 } });
    expect(fromStart.bonds.map((b) => b.solver)).toEqual(solvers.slice(0, 1));
    expect((await chain.query<Bonds>(address, { solver_bonds: { start_after: 'wasm2' } })).bonds).toEqual([]);
    expect(await refused(chain.query(address, { solver_bonds: { limit: -1 } }))).toContain("'limit'");
  });

  it('v2 lists stuck escrows (timeout_at <= block time), paged', async () => {
    const address = await instantiate();
    for (const id of ['s-1', 's-2', 's-3']) await lock(address, id, OTHER.solver, 0);
    await lock(address, 'later', OTHER.solver, 50);
    await chain.migrate(address, v2, { new_version: '2.0.0' });
    chain.setBlockTime(now + 10);
    const stuck = await chain.query<Page>(address, { stuck_escrows: { limit: 2 } });
    expect(stuck.escrows.map((e) => e.id)).toEqual(['s-1', 's-2']);
    expect(stuck.count).toBe(3);
    const rest = await chain.query<Page>(address, { stuck_escrows: { start_after: 's-2' } });
    expect(rest.escrows.map((e) => e.id)).toEqual(['s-3']);
    chain.setBlockTime(now + 50);
    expect((await chain.query<Page>(address, { stuck_escrows: {} })).count).toBe(4);
    chain.setBlockTime(now);
  });

  it('migrates by the settlement rules: version order, rollback, preserve_inflight, new_config', async () => {
    const address = await instantiate();
    // No locked escrows: preserve_inflight false is allowed.
    await chain.migrate(address, v2, {
      new_version: '2.0.0',
      config: {
        preserve_inflight: false,
        new_config: { admin: OTHER.stranger, settlement_contract: OTHER.solver, denom: 'ibc/ABC' },
      },
    });
    expect(await chain.query(address, { config: {} })).toEqual({
      contract: 'escrow',
      admin: OTHER.stranger,
      version: '2.0.0',
      settlement_contract: OTHER.solver,
      denom: 'ibc/ABC',
      features: ['stuck_escrows_query'],
    });
    // The new admin extends; the old one no longer may.
    await lock(address, 'n-1');
    await chain
      .withSigner(OTHER.stranger)
      .execute(address, { extend_timeout: { id: 'n-1', additional_seconds: 5 } });
    expect(
      await refused(chain.execute(address, { extend_timeout: { id: 'n-1', additional_seconds: 5 } })),
    ).toContain('only the admin');

    expect(await refused(chain.migrate(address, v2, { new_version: '2.0.0' }))).toContain(
      'Version 2.0.0 is not newer than the current version 2.0.0',
    );
    expect(await refused(chain.migrate(address, v2, { new_version: '2.1.0', rollback: true }))).toContain(
      'Rollback to version 2.1.0 refused',
    );
    expect(await refused(chain.migrate(address, v2, { new_version: '2.1' }))).toContain('new_version');
    expect(
      await refused(
        chain.migrate(address, v2, { new_version: '2.1.0', config: { stuck_escrow_action: 'burn' } }),
      ),
    ).toContain('Invalid stuck_escrow_action');
    expect(
      await refused(
        chain.migrate(address, v2, { new_version: '2.1.0', config: { new_config: { admin: 'nobody' } } }),
      ),
    ).toContain("Invalid admin address 'nobody'");
    expect(
      await refused(
        chain.migrate(address, v2, {
          new_version: '2.1.0',
          config: { new_config: { min_solver_bond: '1' } },
        }),
      ),
    ).toContain("unknown field 'min_solver_bond'");
    expect(await refused(chain.migrate(address, v2, { new_version: '2.1.0', force: true }))).toContain(
      "unknown field 'force'",
    );
    // A refused migrate changed nothing.
    expect(await chain.query(address, { config: {} })).toMatchObject({
      version: '2.0.0',
      admin: OTHER.stranger,
    });

    // Versions compare numerically (2.10.0 is newer than 2.9.0); the control plane's rollback message moves back.
    await chain.migrate(address, v2, { new_version: '2.10.0', config: null });
    await chain.migrate(address, v1, {
      new_version: '2.9.0',
      rollback: true,
      config: { preserve_inflight: true },
    });
    expect(await chain.query(address, { migration_info: {} })).toMatchObject({
      previous_version: '2.10.0',
      current_version: '2.9.0',
      migrated_at: now,
      preserved_inflight_count: 1,
    });
    expect(await chain.query(address, { config: {} })).not.toHaveProperty('features');
  });
});
