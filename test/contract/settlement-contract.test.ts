import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ADDR,
  CONTRACT_BUILD_DIR,
  type ContractConfig,
  type CreateSettlement,
  type MigrationInfo,
  readContractWasm,
  type Settlement,
  SettlementChain,
  type SettlementPage,
} from './settlement-chain.ts';

// The AssemblyScript settlement contract (contracts/settlement), run as real wasm in
// cw-simulate's in-process CosmWasm VM. One chain for the file; each test instantiates its own
// contract and sets the block time it needs.
const chain = new SettlementChain();
const T0 = 4_000_000_000; // seconds; in the future, so cw-simulate keeps it fixed
let contract: string;

beforeAll(async () => {
  await chain.upload();
});

beforeEach(async () => {
  chain.setBlockTime(T0);
  contract = await chain.instantiate(chain.codeV1);
});

function settlement(
  id: string,
  timeoutSeconds = 3600,
  extra: Partial<CreateSettlement> = {},
): CreateSettlement {
  return {
    id,
    user_funds_locked: true,
    solver_funds_locked: true,
    timeout_seconds: timeoutSeconds,
    ...extra,
  };
}

async function create(...items: CreateSettlement[]): Promise<void> {
  for (const item of items) await chain.execute(contract, { create_settlement: item });
}

const inflightIds = async () => (await chain.allInflight(contract)).map((s) => s.id);
const config = () => chain.query<ContractConfig>(contract, { config: {} });
const migrationInfo = () => chain.query<MigrationInfo>(contract, { migration_info: {} });

describe('build artefacts', () => {
  it('getCodeDetails gives the sha256 of each wasm file, as listed in build/SHA256SUMS', async () => {
    const sums = readFileSync(new URL('SHA256SUMS', CONTRACT_BUILD_DIR), 'utf8');
    for (const [version, codeId] of [
      [1, chain.codeV1],
      [2, chain.codeV2],
    ] as const) {
      const expected = createHash('sha256').update(readContractWasm(version)).digest('hex');
      const details = await chain.client.getCodeDetails(codeId);
      expect(details.checksum).toBe(expected);
      expect(sums).toContain(`${expected}  settlement-v${version}.wasm`);
    }
    expect((await chain.client.getCodeDetails(chain.codeV1)).checksum).not.toBe(
      (await chain.client.getCodeDetails(chain.codeV2)).checksum,
    );
  });
});

describe('instantiate and config', () => {
  it('defaults the admin to the sender and records the build version; no migration yet', async () => {
    expect(await config()).toEqual({
      admin: ADDR.admin,
      version: '1.0.0',
      escrow_contract: null,
      min_solver_bond: '0',
      base_slash_bps: 0,
    });
    expect(await migrationInfo()).toEqual({
      previous_version: null,
      current_version: '1.0.0',
      migrated_at: null,
      preserved_inflight_count: null,
    });
    const onChain = await chain.client.getContract(contract);
    expect(onChain).toMatchObject({ codeId: chain.codeV1, admin: ADDR.admin });
  });

  it('takes an explicit admin and config values; v2 reports its version and features', async () => {
    const v2 = await chain.instantiate(chain.codeV2, {
      admin: ADDR.newAdmin,
      escrow_contract: ADDR.escrow,
      min_solver_bond: '5000000',
      base_slash_bps: 300,
    });
    expect(await chain.query<ContractConfig>(v2, { config: {} })).toEqual({
      admin: ADDR.newAdmin,
      version: '2.0.0',
      escrow_contract: ADDR.escrow,
      min_solver_bond: '5000000',
      base_slash_bps: 300,
      features: ['stuck_settlements_query'],
    });
  });

  it('rejects a malformed instantiate message with a clear error', async () => {
    await expect(chain.instantiate(chain.codeV1, { admin: 'not-an-address' })).rejects.toThrow(
      /Invalid admin address 'not-an-address'/,
    );
    await expect(chain.instantiate(chain.codeV1, { base_slash_bps: 10_001 })).rejects.toThrow(
      'Invalid base_slash_bps: 10001 is above 10000',
    );
    await expect(chain.instantiate(chain.codeV1, { admn: ADDR.admin })).rejects.toThrow(
      "Invalid instantiate message: unknown field 'admn'",
    );
  });
});

describe('settlements', () => {
  it('creates, completes and pages through inflight settlements ordered by id', async () => {
    // 45 settlements created out of order; 5 of them completed.
    const ids = Array.from({ length: 45 }, (_, n) => `s-${String(n).padStart(3, '0')}`);
    const shuffled = [...ids.slice(20), ...ids.slice(0, 20).reverse()];
    await create(...shuffled.map((id, n) => settlement(id, 600 + n, { amount: String(1000 + n) })));
    const completed = ['s-000', 's-007', 's-030', 's-031', 's-044'];
    for (const id of completed) {
      expect(await chain.execute(contract, { complete_settlement: { id } })).toMatchObject({
        action: 'complete_settlement',
        id,
      });
    }
    const inflight = ids.filter((id) => !completed.includes(id));

    const first = await chain.query<SettlementPage>(contract, { inflight_settlements: {} });
    expect(first.count).toBe(40);
    expect(first.settlements.map((s) => s.id)).toEqual(inflight.slice(0, 30)); // default limit 30
    const next = await chain.query<SettlementPage>(contract, {
      inflight_settlements: { start_after: 's-032', limit: 5 },
    });
    expect(next.settlements.map((s) => s.id)).toEqual(['s-033', 's-034', 's-035', 's-036', 's-037']);
    expect(next.count).toBe(40);
    // start_after need not be an existing id; limit is capped at 100; 0 gives an empty page.
    const between = await chain.query<SettlementPage>(contract, {
      inflight_settlements: { start_after: 's-0305', limit: 1 },
    });
    expect(between.settlements.map((s) => s.id)).toEqual(['s-032']);
    const capped = await chain.query<SettlementPage>(contract, { inflight_settlements: { limit: 1000 } });
    expect(capped.settlements).toHaveLength(40);
    const empty = await chain.query<SettlementPage>(contract, { inflight_settlements: { limit: 0 } });
    expect(empty).toEqual({ settlements: [], count: 40 });
    expect(await inflightIds()).toEqual(inflight);

    const n = shuffled.indexOf('s-010');
    expect(await chain.query<Settlement>(contract, { settlement: { id: 's-010' } })).toEqual({
      id: 's-010',
      creator: ADDR.admin,
      user_funds_locked: true,
      solver_funds_locked: true,
      amount: String(1000 + n),
      status: 'inflight',
      created_at: T0,
      timeout_at: T0 + 600 + n,
    });
    expect(await chain.query<Settlement>(contract, { settlement: { id: 's-007' } })).toMatchObject({
      status: 'completed',
    });
  });

  it('caps pages at 100, and memory stays flat in cw-simulate’s long-lived VM', async () => {
    // The stub allocator never frees; the contract resets its heap once the host has read a
    // call's result. Without that, these 400 calls grew the memory to 64 MiB.
    const ids = Array.from({ length: 400 }, (_, n) => `intent-${String(n).padStart(4, '0')}`);
    await create(...ids.map((id) => settlement(id)));
    const page = await chain.query<SettlementPage>(contract, { inflight_settlements: { limit: 1000 } });
    expect(page.count).toBe(400);
    expect(page.settlements.map((s) => s.id)).toEqual(ids.slice(0, 100));
    expect(await inflightIds()).toEqual(ids);
    expect(chain.vmMemoryBytes(contract)).toBeLessThanOrEqual(4 * 1024 * 1024);
  });

  it('stores the block time and an absent amount as null', async () => {
    chain.setBlockTime(T0 + 123);
    await create({ id: 'plain', user_funds_locked: false, solver_funds_locked: true, timeout_seconds: 0 });
    expect(await chain.query<Settlement>(contract, { settlement: { id: 'plain' } })).toEqual({
      id: 'plain',
      creator: ADDR.admin,
      user_funds_locked: false,
      solver_funds_locked: true,
      amount: null,
      status: 'inflight',
      created_at: T0 + 123,
      timeout_at: T0 + 123,
    });
  });

  it('refuses duplicates, unknown ids, double completion, strangers and malformed messages', async () => {
    await create(settlement('a'));
    await chain.execute(contract, { create_settlement: settlement('by-solver') }, ADDR.solver);
    await expect(chain.execute(contract, { create_settlement: settlement('a') })).rejects.toThrow(
      'Settlement already exists: a',
    );
    await expect(chain.execute(contract, { complete_settlement: { id: 'nope' } })).rejects.toThrow(
      'Settlement not found: nope',
    );
    await expect(chain.query(contract, { settlement: { id: 'nope' } })).rejects.toThrow(
      'Settlement not found: nope',
    );
    await expect(
      chain.execute(contract, { complete_settlement: { id: 'by-solver' } }, ADDR.stranger),
    ).rejects.toThrow('Unauthorized: only the creator or the admin can complete settlement by-solver');
    await chain.execute(contract, { complete_settlement: { id: 'by-solver' } }, ADDR.solver);
    await chain.execute(contract, { complete_settlement: { id: 'a' } });
    await expect(chain.execute(contract, { complete_settlement: { id: 'a' } })).rejects.toThrow(
      'Settlement a is not inflight (status: completed)',
    );
    await expect(chain.execute(contract, { create_settlement: settlement('bad id!') })).rejects.toThrow(
      "Invalid settlement id 'bad id!'",
    );
    await expect(
      chain.execute(contract, { create_settlement: { ...settlement('x'), amount: 5 } }),
    ).rejects.toThrow("Invalid create_settlement: field 'amount' must be a Uint128 decimal string");
    await expect(
      chain.execute(contract, { create_settlement: { ...settlement('x'), timeout_seconds: -1 } }),
    ).rejects.toThrow("field 'timeout_seconds' must be a non-negative integer below 2^64");
    await expect(chain.execute(contract, { create_settlement: { id: 'x' } })).rejects.toThrow(
      "Invalid create_settlement: missing field 'user_funds_locked'",
    );
    await expect(chain.execute(contract, { cancel_settlement: { id: 'x' } })).rejects.toThrow(
      "Unknown execute message 'cancel_settlement'",
    );
    expect((await chain.query<SettlementPage>(contract, { inflight_settlements: {} })).count).toBe(0);
  });

  it('extend_timeout adds seconds to an inflight settlement, for the admin only', async () => {
    await create(settlement('a', 100));
    await expect(
      chain.execute(contract, { extend_timeout: { id: 'a', additional_seconds: 50 } }, ADDR.solver),
    ).rejects.toThrow('Unauthorized: only the admin can extend timeouts');
    expect(
      await chain.execute(contract, { extend_timeout: { id: 'a', additional_seconds: 50 } }),
    ).toMatchObject({
      action: 'extend_timeout',
      timeout_at: String(T0 + 150),
    });
    expect(await chain.query<Settlement>(contract, { settlement: { id: 'a' } })).toMatchObject({
      timeout_at: T0 + 150,
      status: 'inflight',
    });
    await chain.execute(contract, { complete_settlement: { id: 'a' } });
    await expect(
      chain.execute(contract, { extend_timeout: { id: 'a', additional_seconds: 50 } }),
    ).rejects.toThrow('Settlement a is not inflight (status: completed)');
  });
});

describe('migrate v1 -> v2', () => {
  it('preserves every settlement (config absent: preserve inflight, leave stuck ones)', async () => {
    await create(...['c', 'a', 'e', 'b', 'd'].map((id) => settlement(id, id === 'e' ? 0 : 600)));
    await chain.execute(contract, { complete_settlement: { id: 'd' } });
    const ids = ['a', 'b', 'c', 'd', 'e'];
    const before = await chain.settlements(contract, ids);
    chain.setBlockTime(T0 + 60);

    const attributes = await chain.migrate(contract, chain.codeV2, { new_version: '2.0.0' });

    expect(attributes).toMatchObject({
      action: 'migrate',
      from_version: '1.0.0',
      to_version: '2.0.0',
      rollback: 'false',
      preserved_inflight: '4',
      stuck: '1',
      refunded: '0',
    });
    expect(await chain.settlements(contract, ids)).toEqual(before);
    expect(await inflightIds()).toEqual(['a', 'b', 'c', 'e']);
    expect(await migrationInfo()).toEqual({
      previous_version: '1.0.0',
      current_version: '2.0.0',
      migrated_at: T0 + 60,
      preserved_inflight_count: 4,
    });
    expect(await config()).toEqual({
      admin: ADDR.admin,
      version: '2.0.0',
      escrow_contract: null,
      min_solver_bond: '0',
      base_slash_bps: 0,
      features: ['stuck_settlements_query'],
    });
    expect(await chain.codeIdOf(contract)).toBe(chain.codeV2);
    // The new code answers the v2-only query; settlements keep working after the migration.
    expect(await chain.query<SettlementPage>(contract, { stuck_settlements: {} })).toMatchObject({
      count: 1,
      settlements: [{ id: 'e' }],
    });
    await chain.execute(contract, { complete_settlement: { id: 'a' } });
    await create(settlement('f'));
    expect(await inflightIds()).toEqual(['b', 'c', 'e', 'f']);
  });

  it('refund_and_cancel marks stuck settlements refunded and leaves the others inflight', async () => {
    await create(settlement('stuck-now', 0), settlement('stuck-later', 30), settlement('fine', 3600));
    await expect(chain.query(contract, { stuck_settlements: {} })).rejects.toThrow(
      "Unknown query 'stuck_settlements'",
    );
    chain.setBlockTime(T0 + 30); // stuck-later's timeout_at is now <= block time
    const before = await chain.settlements(contract, ['stuck-now', 'stuck-later', 'fine']);

    const attributes = await chain.migrate(contract, chain.codeV2, {
      new_version: '2.0.0',
      config: { preserve_inflight: true, stuck_settlement_action: 'refund_and_cancel' },
    });

    expect(attributes).toMatchObject({ stuck: '2', refunded: '2', preserved_inflight: '1' });
    const after = await chain.settlements(contract, ['stuck-now', 'stuck-later', 'fine']);
    expect(after).toEqual([
      { ...before[0], status: 'refunded' },
      { ...before[1], status: 'refunded' },
      before[2],
    ]);
    expect(await chain.query<SettlementPage>(contract, { inflight_settlements: {} })).toEqual({
      settlements: [before[2]],
      count: 1,
    });
    expect(await migrationInfo()).toMatchObject({ preserved_inflight_count: 1, migrated_at: T0 + 30 });
    await expect(chain.execute(contract, { complete_settlement: { id: 'stuck-now' } })).rejects.toThrow(
      'Settlement stuck-now is not inflight (status: refunded)',
    );
  });

  it('accepts the runbook’s refund_and_fail spelling of refund_and_cancel', async () => {
    await create(settlement('stuck', 0), settlement('fine'));
    const migration = { preserve_inflight: true, stuck_settlement_action: 'refund_and_fail' };
    await chain.client.migrate(
      ADDR.admin,
      contract,
      chain.codeV2,
      { new_version: '2.0.0', config: migration },
      'auto',
    );
    expect((await chain.settlements(contract, ['stuck', 'fine'])).map((s) => s.status)).toEqual([
      'refunded',
      'inflight',
    ]);
  });

  it('extend_timeout (stuck action) and extend_timeout_secs (every inflight settlement), as in the runbook', async () => {
    await create(settlement('stuck', 0), settlement('fine', 600));
    await chain.execute(contract, { create_settlement: settlement('done', 0) });
    await chain.execute(contract, { complete_settlement: { id: 'done' } });
    const before = await chain.settlements(contract, ['stuck', 'fine', 'done']);

    await chain.migrate(contract, chain.codeV2, {
      new_version: '2.0.0',
      config: {
        preserve_inflight: true,
        stuck_settlement_action: { extend_timeout: { additional_seconds: 3600 } },
        extend_timeout_secs: 7200,
        new_config: null,
      },
    });

    expect(await chain.settlements(contract, ['stuck', 'fine', 'done'])).toEqual([
      { ...before[0], timeout_at: T0 + 3600 + 7200 },
      { ...before[1], timeout_at: T0 + 600 + 7200 },
      before[2],
    ]);
    expect(await migrationInfo()).toMatchObject({ preserved_inflight_count: 2 });
    expect((await chain.query<SettlementPage>(contract, { stuck_settlements: {} })).count).toBe(0);
  });

  it('the stuck extend_timeout action alone moves only stuck settlements', async () => {
    await create(settlement('stuck', 0), settlement('fine', 600));
    await chain.migrate(contract, chain.codeV2, {
      new_version: '2.0.0',
      config: {
        preserve_inflight: true,
        stuck_settlement_action: { extend_timeout: { additional_seconds: 90 } },
      },
    });
    expect((await chain.settlements(contract, ['stuck', 'fine'])).map((s) => s.timeout_at)).toEqual([
      T0 + 90,
      T0 + 600,
    ]);
  });

  it('new_config updates the admin and other config values', async () => {
    await chain.migrate(contract, chain.codeV2, {
      new_version: '2.0.0',
      config: {
        preserve_inflight: true,
        stuck_settlement_action: 'preserve',
        new_config: { admin: ADDR.newAdmin, min_solver_bond: '5000000', base_slash_bps: 300 },
      },
    });
    expect(await config()).toMatchObject({
      admin: ADDR.newAdmin,
      min_solver_bond: '5000000',
      base_slash_bps: 300,
      escrow_contract: null,
    });
    await create(settlement('a'));
    await expect(
      chain.execute(contract, { extend_timeout: { id: 'a', additional_seconds: 5 } }),
    ).rejects.toThrow('Unauthorized');
    await chain.execute(contract, { extend_timeout: { id: 'a', additional_seconds: 5 } }, ADDR.newAdmin);
  });
});

describe('migrate refusals leave state and code unchanged', () => {
  async function expectUntouched(ids: string[], before: Settlement[]): Promise<void> {
    expect(await chain.codeIdOf(contract)).toBe(chain.codeV1);
    const current = await config();
    expect(current.version).toBe('1.0.0');
    expect(current.features).toBeUndefined(); // the v1 code answers, not the refused v2 code
    expect(await migrationInfo()).toMatchObject({ previous_version: null, current_version: '1.0.0' });
    expect(await chain.settlements(contract, ids)).toEqual(before);
  }

  it('refuses while settlements are inflight and preserve_inflight is false, naming the count', async () => {
    const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
    await create(...ids.map((id) => settlement(id, id === 'a' ? 0 : 600)));
    await chain.execute(contract, { complete_settlement: { id: 'f' } });
    const before = await chain.settlements(contract, ids);

    await expect(
      chain.migrate(contract, chain.codeV2, {
        new_version: '2.0.0',
        config: { preserve_inflight: false, stuck_settlement_action: 'refund_and_cancel' },
      }),
    ).rejects.toThrow('Inflight settlements exist: 5 settlements must complete before migration');

    await expectUntouched(ids, before);
    // The contract still runs v1 code and accepts work.
    await expect(chain.query(contract, { stuck_settlements: {} })).rejects.toThrow(
      "Unknown query 'stuck_settlements'",
    );
    for (const id of ['a', 'b', 'c', 'd', 'e'])
      await chain.execute(contract, { complete_settlement: { id } });
    // Drained: the same message now succeeds.
    await chain.migrate(contract, chain.codeV2, {
      new_version: '2.0.0',
      config: { preserve_inflight: false, stuck_settlement_action: 'preserve' },
    });
    expect(await migrationInfo()).toMatchObject({ current_version: '2.0.0', preserved_inflight_count: 0 });
  });

  it('refuses a version that is not newer (compared numerically) unless it is a rollback', async () => {
    await create(settlement('a'));
    const before = await chain.settlements(contract, ['a']);
    await expect(chain.migrate(contract, chain.codeV2, { new_version: '1.0.0' })).rejects.toThrow(
      'Version 1.0.0 is not newer than the current version 1.0.0 (a rollback migration must set "rollback": true)',
    );
    await expect(chain.migrate(contract, chain.codeV2, { new_version: '0.9.9' })).rejects.toThrow(
      'Version 0.9.9 is not newer than the current version 1.0.0',
    );
    await expect(chain.migrate(contract, chain.codeV2, { new_version: 'v2' })).rejects.toThrow(
      "Invalid migrate message: new_version 'v2' is not MAJOR.MINOR.PATCH",
    );
    await expectUntouched(['a'], before);

    // 1.10.0 is newer than 1.9.0 (a string comparison would say otherwise).
    await chain.migrate(contract, chain.codeV1, { new_version: '1.9.0' });
    await chain.migrate(contract, chain.codeV1, { new_version: '1.10.0' });
    await expect(chain.migrate(contract, chain.codeV1, { new_version: '1.9.1' })).rejects.toThrow(
      'Version 1.9.1 is not newer than the current version 1.10.0',
    );
    expect((await config()).version).toBe('1.10.0');
  });

  it('rejects malformed migrate messages before changing anything', async () => {
    await create(settlement('a', 0));
    const before = await chain.settlements(contract, ['a']);
    const bad: [Record<string, unknown>, string][] = [
      [{ preserve_inflght: false, stuck_settlement_action: 'preserve' }, "unknown field 'preserve_inflght'"],
      [
        { preserve_inflight: true, stuck_settlement_action: 'shrug' },
        'Invalid stuck_settlement_action: expected',
      ],
      [
        { preserve_inflight: true, stuck_settlement_action: { extend_timeout: {} } },
        "missing field 'additional_seconds'",
      ],
      [
        { preserve_inflight: true, stuck_settlement_action: 'preserve', new_config: { admin: 'nobody' } },
        "Invalid admin address 'nobody'",
      ],
    ];
    for (const [migrationConfig, message] of bad) {
      await expect(
        chain.client.migrate(
          ADDR.admin,
          contract,
          chain.codeV2,
          { new_version: '2.0.0', config: migrationConfig },
          'auto',
        ),
      ).rejects.toThrow(message);
      await chain.rebuildVm(contract);
    }
    await expectUntouched(['a'], before);
  });

  it('only the chain-level contract admin can migrate', async () => {
    await create(settlement('a'));
    const before = await chain.settlements(contract, ['a']);
    await expect(
      chain.migrate(contract, chain.codeV2, { new_version: '2.0.0' }, ADDR.stranger),
    ).rejects.toThrow('unauthorized: can not migrate');
    await expectUntouched(['a'], before);
  });

  it('cw-simulate keeps a refused migration’s code in its VM cache until rebuilt (why SettlementChain rebuilds)', async () => {
    await create(settlement('a'));
    await expect(
      chain.client.migrate(
        ADDR.admin,
        contract,
        chain.codeV2,
        { new_version: '2.0.0', config: { preserve_inflight: false, stuck_settlement_action: 'preserve' } },
        'auto',
      ),
    ).rejects.toThrow('Inflight settlements exist: 1 settlements must complete before migration');
    // The chain says v1, but the cached VM now runs the v2 code.
    expect(await chain.codeIdOf(contract)).toBe(chain.codeV1);
    expect((await config()).features).toEqual(['stuck_settlements_query']);
    await chain.rebuildVm(contract);
    expect((await config()).features).toBeUndefined();
  });
});

describe('rollback v2 -> v1', () => {
  it('migrates back to the v1 code with rollback: true and keeps every settlement', async () => {
    await create(settlement('a'), settlement('b', 0));
    await chain.migrate(contract, chain.codeV2, { new_version: '2.0.0' });
    await create(settlement('c'));
    await chain.execute(contract, { complete_settlement: { id: 'a' } });
    const ids = ['a', 'b', 'c'];
    const before = await chain.settlements(contract, ids);
    const rollbackMsg = {
      new_version: '1.0.0',
      config: { preserve_inflight: true, stuck_settlement_action: 'preserve' as const },
    };
    await expect(chain.migrate(contract, chain.codeV1, rollbackMsg)).rejects.toThrow(
      'Version 1.0.0 is not newer than the current version 2.0.0',
    );
    expect(await chain.codeIdOf(contract)).toBe(chain.codeV2);
    chain.setBlockTime(T0 + 500);

    const attributes = await chain.migrate(contract, chain.codeV1, { ...rollbackMsg, rollback: true });

    expect(attributes).toMatchObject({ from_version: '2.0.0', to_version: '1.0.0', rollback: 'true' });
    expect(await chain.codeIdOf(contract)).toBe(chain.codeV1);
    expect(await chain.settlements(contract, ids)).toEqual(before);
    expect(await inflightIds()).toEqual(['b', 'c']);
    expect(await config()).toMatchObject({ version: '1.0.0' });
    expect((await config()).features).toBeUndefined();
    expect(await migrationInfo()).toEqual({
      previous_version: '2.0.0',
      current_version: '1.0.0',
      migrated_at: T0 + 500,
      preserved_inflight_count: 2,
    });
    // Forward again after the rollback.
    await chain.migrate(contract, chain.codeV2, { new_version: '2.0.1' });
    expect(await config()).toMatchObject({ version: '2.0.1', features: ['stuck_settlements_query'] });
  });

  it("takes the control plane's rollback message (config with preserve_inflight alone) and keeps stuck ones", async () => {
    await create(settlement('a'), settlement('stuck', 0));
    await chain.migrate(contract, chain.codeV2, { new_version: '2.0.0' });
    chain.setBlockTime(T0 + 10);
    await chain.migrate(contract, chain.codeV1, {
      new_version: '1.0.0',
      rollback: true,
      config: { preserve_inflight: true },
    });
    expect(await chain.codeIdOf(contract)).toBe(chain.codeV1);
    expect(await inflightIds()).toEqual(['a', 'stuck']);
    expect(await migrationInfo()).toMatchObject({ current_version: '1.0.0', preserved_inflight_count: 2 });
  });

  it('refuses a "rollback" to a newer version', async () => {
    await expect(
      chain.migrate(contract, chain.codeV2, { new_version: '2.0.0', rollback: true }),
    ).rejects.toThrow('Rollback to version 2.0.0 refused: it is newer than the current version 1.0.0');
    expect(await chain.codeIdOf(contract)).toBe(chain.codeV1);
  });
});
