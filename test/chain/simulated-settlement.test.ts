import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { SimulatedChain } from '../../shared/adapters/chain/simulated-chain.ts';
import { ChainError, isChainError } from '../../shared/chain/chain-error.ts';
import { wasmAttributes } from '../../shared/chain/chain-port.ts';
import { OTHER, PRESERVING_MIGRATE, type Settlement, settlementWasm } from './fixtures.ts';

const IDS = ['s-1', 's-2', 's-3', 's-4', 's-5'];

async function rejection(promise: Promise<unknown>): Promise<ChainError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isChainError(error)) throw new Error(`expected a ChainError, got ${String(error)}`);
  return error;
}

describe('SimulatedChain with the settlement contract', () => {
  const chain = SimulatedChain.create({ chainId: 'chain-port-test-1' });
  let admin: string;
  let v1: number;
  let v2: number;
  let contract: string;

  beforeAll(async () => {
    admin = await chain.signerAddress();
    v1 = (await chain.upload(settlementWasm(1))).codeId;
    v2 = (await chain.upload(settlementWasm(2))).codeId;
  });

  async function freshContract(settlements = IDS): Promise<string> {
    const { address } = await chain.instantiate(v1, {}, 'settlement', { admin });
    for (const id of settlements) {
      await chain.execute(address, {
        create_settlement: {
          id,
          user_funds_locked: true,
          solver_funds_locked: true,
          timeout_seconds: 3600,
          amount: '1000',
        },
      });
    }
    return address;
  }

  const settlements = (address: string) =>
    Promise.all(IDS.map((id) => chain.query<Settlement>(address, { settlement: { id } })));

  it('reports code checksums equal to the sha256 of the wasm files', async () => {
    for (const [codeId, version] of [
      [v1, 1],
      [v2, 2],
    ] as const) {
      const expected = createHash('sha256').update(settlementWasm(version)).digest('hex');
      expect(await chain.codeDetails(codeId)).toEqual({ codeId, checksum: expected });
    }
    expect(v2).not.toBe(v1);
  });

  it('instantiates with the signer as admin and reports the contract info', async () => {
    contract = await freshContract();
    expect(await chain.contractInfo(contract)).toEqual({
      address: contract,
      codeId: v1,
      admin,
      label: 'settlement',
    });
    const config = await chain.query<{ admin: string; version: string }>(contract, { config: {} });
    expect(config).toMatchObject({ admin, version: '1.0.0' });
  });

  it('surfaces contract errors with their own text', async () => {
    const error = await rejection(
      chain.execute(contract, {
        create_settlement: {
          id: 's-1',
          user_funds_locked: true,
          solver_funds_locked: true,
          timeout_seconds: 1,
        },
      }),
    );
    expect(error.code).toBe('contract_error');
    expect(error.message).toContain('Settlement already exists: s-1');
  });

  it('refuses a migrate with inflight settlements and leaves code and state unchanged', async () => {
    const before = await settlements(contract);
    const error = await rejection(
      chain.migrate(contract, v2, {
        new_version: '2.0.0',
        config: { preserve_inflight: false, stuck_settlement_action: 'preserve' },
      }),
    );
    expect(error.code).toBe('contract_error');
    expect(error.message).toContain(
      'Inflight settlements exist: 5 settlements must complete before migration',
    );
    expect((await chain.contractInfo(contract)).codeId).toBe(v1);
    // Without the VM rebuild, cw-simulate's cached VM would now run v2 code: config would list features.
    const config = await chain.query<{ version: string; features?: string[] }>(contract, { config: {} });
    expect(config.version).toBe('1.0.0');
    expect(config.features).toBeUndefined();
    await expect(chain.query(contract, { stuck_settlements: {} })).rejects.toBeInstanceOf(ChainError);
    expect(await settlements(contract)).toEqual(before);
  });

  it('leaves no trace of a rejected execute', async () => {
    const sneaky = 'ghost-1';
    await rejection(
      chain.execute(contract, {
        create_settlement: {
          id: sneaky,
          user_funds_locked: true,
          solver_funds_locked: true,
          timeout_seconds: 1,
          bogus: 1,
        },
      }),
    );
    await expect(chain.query(contract, { settlement: { id: sneaky } })).rejects.toThrow(
      /Settlement not found: ghost-1/,
    );
    const page = await chain.query<{ count: number }>(contract, { inflight_settlements: {} });
    expect(page.count).toBe(5);
  });

  it('refuses a migrate by a non-admin as unauthorized', async () => {
    const stranger = chain.withSigner(OTHER.stranger);
    const error = await rejection(stranger.migrate(contract, v2, PRESERVING_MIGRATE));
    expect(error.code).toBe('unauthorized');
    expect(error.message).toContain(OTHER.stranger);
    expect((await chain.contractInfo(contract)).codeId).toBe(v1);
  });

  it('migrates v1 to v2 keeping every settlement', async () => {
    const before = await settlements(contract);
    const outcome = await chain.migrate(contract, v2, PRESERVING_MIGRATE);
    expect(outcome.transactionHash).toMatch(/\S/);
    expect(wasmAttributes(outcome.events)).toMatchObject({
      action: 'migrate',
      from_version: '1.0.0',
      to_version: '2.0.0',
    });
    expect((await chain.contractInfo(contract)).codeId).toBe(v2);
    const info = await chain.query<Record<string, unknown>>(contract, { migration_info: {} });
    expect(info).toMatchObject({
      previous_version: '1.0.0',
      current_version: '2.0.0',
      preserved_inflight_count: 5,
    });
    expect(await settlements(contract)).toEqual(before);
    const config = await chain.query<{ features?: string[] }>(contract, { config: {} });
    expect(config.features).toEqual(['stuck_settlements_query']);
  });

  it('maps unknown contracts and codes to not_found', async () => {
    expect((await rejection(chain.contractInfo(OTHER.solver))).code).toBe('not_found');
    expect((await rejection(chain.codeDetails(999))).code).toBe('not_found');
    expect((await rejection(chain.instantiate(999, {}, 'x'))).code).toBe('not_found');
  });

  it('saves and loads the chain with its settlements, and migrates after loading', async () => {
    const fresh = await freshContract();
    const json = await chain.save();
    const loaded = await SimulatedChain.load(json);
    expect(await loaded.signerAddress()).toBe(admin);
    expect(await loaded.contractInfo(fresh)).toEqual(await chain.contractInfo(fresh));
    expect(await loaded.codeDetails(v2)).toEqual(await chain.codeDetails(v2));
    const loadedSettlements = await Promise.all(
      IDS.map((id) => loaded.query<Settlement>(fresh, { settlement: { id } })),
    );
    expect(loadedSettlements).toEqual(await settlements(fresh));
    // the already-migrated contract is still on v2 with its migration info
    expect((await loaded.contractInfo(contract)).codeId).toBe(v2);
    expect(await loaded.query(contract, { migration_info: {} })).toMatchObject({ current_version: '2.0.0' });

    await loaded.migrate(fresh, v2, PRESERVING_MIGRATE);
    expect((await loaded.contractInfo(fresh)).codeId).toBe(v2);
    expect(await loaded.query(fresh, { migration_info: {} })).toMatchObject({ preserved_inflight_count: 5 });
    const after = await Promise.all(IDS.map((id) => loaded.query<Settlement>(fresh, { settlement: { id } })));
    expect(after).toEqual(loadedSettlements);
    // a new contract on the loaded chain gets a new address, not a saved one
    const { address } = await loaded.instantiate(v1, {}, 'another', { admin });
    expect([fresh, contract]).not.toContain(address);
    // the original chain is untouched by the loaded one's migrate
    expect((await chain.contractInfo(fresh)).codeId).toBe(v1);
  });
});
