import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SimulatedChain } from '../shared/adapters/chain/simulated-chain.ts';
import type { Settlement } from '../shared/chain/settlement-types.ts';
import { OTHER, settlementWasm } from './chain/fixtures.ts';
import { startTestApi, type TestApi } from './support/api.ts';
import { runUpgrade } from './support/upgrade.ts';

// The contract steps of the workflow against the settlement contract in a real CosmWasm VM (cw-simulate).
const chain = SimulatedChain.create();
let api: TestApi;
let admin: string;
let v1: number;
let v2: number;
const checksumV2 = createHash('sha256').update(settlementWasm(2)).digest('hex');

beforeAll(async () => {
  admin = await chain.signerAddress();
  v1 = (await chain.upload(settlementWasm(1))).codeId;
  v2 = (await chain.upload(settlementWasm(2))).codeId;
});
beforeEach(async () => {
  await api?.stop();
  api = await startTestApi({}, undefined, { overrides: { chain: () => chain } });
});
afterAll(async () => {
  await api?.stop();
});

async function settlementContract(
  ids: string[],
  opts: { timeout?: number; admin?: string } = {},
): Promise<string> {
  const { address } = await chain.instantiate(v1, {}, 'settlement', { admin: opts.admin ?? admin });
  for (const id of ids) {
    await chain.execute(address, {
      create_settlement: {
        id,
        user_funds_locked: true,
        solver_funds_locked: true,
        timeout_seconds: opts.timeout ?? 3600,
        amount: '1000',
      },
    });
  }
  return address;
}

const contract = (
  address: string,
  migrate_msg: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) => ({
  address,
  new_code_id: v2,
  expected_checksum: checksumV2,
  migrate_msg,
  ...extra,
});
const preserving = {
  new_version: '2.0.0',
  config: { preserve_inflight: true, stuck_settlement_action: 'preserve' },
};
const settlement = (address: string, id: string) => chain.query<Settlement>(address, { settlement: { id } });

describe('contract migration in the upgrade workflow', () => {
  it('migrates with inflight settlements preserved, verified, and checkpointed', async () => {
    const address = await settlementContract(['s-1', 's-2', 's-3']);
    const run = await runUpgrade(api, {
      target_version: '2.0.0',
      reason: 'contract v2',
      contract: contract(address, preserving),
    });
    expect(run.execution.status).toBe('SUCCEEDED');
    expect((await chain.contractInfo(address)).codeId).toBe(v2);
    expect(await chain.query(address, { migration_info: {} })).toMatchObject({
      previous_version: '1.0.0',
      current_version: '2.0.0',
      preserved_inflight_count: 3,
    });
    const step = run.steps.find((s) => s.name === 'Migrate contract: settlement');
    expect(step?.detail).toMatchObject({ code_id: v2, preserved: 3, refunded: 0 });
    const part = (await api.cp.upgrade.checkpoints.readPart(
      run.upgrade.checkpoint_id as string,
      'inflight_settlements',
    )) as (Settlement & { contract: string })[];
    expect(part.map((s) => [s.contract, s.id])).toEqual([
      ['settlement', 's-1'],
      ['settlement', 's-2'],
      ['settlement', 's-3'],
    ]);
    const [before] = (await api.cp.upgrade.checkpoints.readPart(
      run.upgrade.checkpoint_id as string,
      'contract_configs',
    )) as { code_id: number; version: string; config: Record<string, unknown> }[];
    expect(before).toMatchObject({
      code_id: v1,
      version: '1.0.0',
      kind: 'settlement',
      config: { version: '1.0.0' },
    });
  });

  // refund_and_fail is the operations guide's spelling (RefundAndFail) of the same action.
  it.each(['refund_and_cancel', 'refund_and_fail'])(
    '%s refunds the stuck settlements and keeps the others',
    async (action) => {
      const address = await settlementContract(['ok-1']);
      await chain.execute(address, {
        create_settlement: {
          id: 'stuck-1',
          user_funds_locked: true,
          solver_funds_locked: false,
          timeout_seconds: 0,
        },
      });
      const msg = {
        new_version: '2.0.0',
        config: { preserve_inflight: true, stuck_settlement_action: action },
      };
      const run = await runUpgrade(api, {
        target_version: '2.0.0',
        reason: 'refund',
        contract: contract(address, msg),
      });
      expect(run.execution.status).toBe('SUCCEEDED');
      expect((await settlement(address, 'stuck-1')).status).toBe('refunded');
      expect((await settlement(address, 'ok-1')).status).toBe('inflight');
      expect(run.steps.find((s) => s.name === 'Migrate contract: settlement')?.detail).toMatchObject({
        preserved: 1,
        refunded: 1,
      });
    },
  );

  it('extends on-chain timeouts (extend_timeout_secs, and the extend_timeout stuck action)', async () => {
    const address = await settlementContract(['t-1']);
    const before = (await settlement(address, 't-1')).timeout_at;
    const msg = {
      new_version: '2.0.0',
      config: {
        preserve_inflight: true,
        stuck_settlement_action: { extend_timeout: { additional_seconds: 60 } },
      },
    };
    const run = await runUpgrade(api, {
      target_version: '2.0.0',
      reason: 'extend',
      extend_timeout_secs: 600,
      contract: contract(address, msg),
    });
    expect(run.execution.status).toBe('SUCCEEDED');
    expect((await settlement(address, 't-1')).timeout_at).toBe(before + 600);
    expect(run.steps.find((s) => s.name === 'Extend timeouts of remaining work')?.detail).toMatchObject({
      on_chain: 1,
    });
  });

  it('a refused migrate (inflight, preserve_inflight false) rolls the upgrade back and resumes the old version', async () => {
    const address = await settlementContract(['r-1', 'r-2']);
    const msg = {
      new_version: '2.0.0',
      config: { preserve_inflight: false, stuck_settlement_action: 'preserve' },
    };
    const run = await runUpgrade(api, {
      target_version: '2.0.0',
      reason: 'refused',
      contract: contract(address, msg),
    });
    expect(run.upgrade.state).toBe('rolled_back');
    expect(run.upgrade.error).toContain(
      'Inflight settlements exist: 2 settlements must complete before migration',
    );
    expect((await chain.contractInfo(address)).codeId).toBe(v1);
    expect((await api.admin('GET', '/admin/drain/status')).body).toMatchObject({
      mode: 'Active',
      version: '1.0.0',
    });
  });

  it('a checksum mismatch stops the upgrade before draining', async () => {
    const address = await settlementContract([]);
    const run = await runUpgrade(api, {
      target_version: '2.0.0',
      reason: 'bad code',
      contract: contract(address, preserving, { expected_checksum: '0'.repeat(64) }),
    });
    expect(run.execution.status).toBe('SUCCEEDED'); // refused: planned, not a failed execution
    expect(run.endState).toBe('Upgrade refused before drain');
    expect(run.upgrade.error).toContain(`has checksum ${checksumV2}`);
    expect(run.steps.map((s) => s.name)).not.toContain('Start drain');
  });

  it('a signer that is not the contract admin stops the upgrade before draining', async () => {
    const address = await settlementContract([], { admin: OTHER.stranger });
    const run = await runUpgrade(api, {
      target_version: '2.0.0',
      reason: 'not admin',
      contract: contract(address, preserving),
    });
    expect(run.execution.status).toBe('SUCCEEDED'); // refused: planned, not a failed execution
    expect(run.endState).toBe('Upgrade refused before drain');
    expect(run.upgrade.error).toContain('is not the admin');
    expect(run.steps.map((s) => s.name)).not.toContain('Start drain');
  });

  it('a failed verification after migrate rolls the contract back to the old code id with every settlement intact', async () => {
    const address = await settlementContract(['v-1', 'v-2', 'v-3']);
    const before = await Promise.all(['v-1', 'v-2', 'v-3'].map((id) => settlement(address, id)));
    const run = await runUpgrade(api, {
      target_version: '2.0.0',
      reason: 'verify',
      contract: contract(address, preserving, { expected_version: '2.0.9' }),
    });
    expect(run.upgrade.state).toBe('rolled_back');
    expect(run.upgrade.error).toContain('ContractVerificationFailed');
    expect((await chain.contractInfo(address)).codeId).toBe(v1);
    expect(run.steps.find((s) => s.name === 'Roll back changed components')?.detail).toMatchObject({
      code_id: v1,
      version: '1.0.0',
      preserved: 3,
    });
    expect(await Promise.all(['v-1', 'v-2', 'v-3'].map((id) => settlement(address, id)))).toEqual(before);
  });

  it('a contract section that is not well formed is refused with a 400 naming the field', async () => {
    const res = await api.admin('POST', '/admin/upgrade/start', {
      target_version: '2.0.0',
      reason: 'x',
      contract: { address: 'wasm1xyz', new_code_id: 2 },
    });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/contract\.(address|expected_checksum|migrate_msg)/);
  });
});

describe('governance mode', () => {
  const waitingForGovernance = async (t: TestApi) => {
    for (let i = 0; i < 200; i++) {
      const s = (await t.admin('GET', '/admin/upgrade/status')).body;
      if (s.current_step === 'Waiting for governance migration') return s.upgrade_id as string;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('never waited for the governance migration');
  };

  it('waits after drain and checkpoint; the confirmed migration is verified on-chain before going on', async () => {
    const address = await settlementContract(['g-1', 'g-2']);
    const t = api;
    const run = await runUpgrade(
      t,
      {
        target_version: '2.0.0',
        reason: 'gov',
        contract: contract(address, preserving, { governance: { timeout_secs: 60 } }),
      },
      async () => {
        const id = await waitingForGovernance(t);
        expect((await t.admin('GET', '/admin/drain/status')).body.mode).toBe('Upgrading');
        expect((await t.admin('GET', '/admin/upgrade/status')).body.checkpoint_id).toBeTruthy();
        // The proposal executes the migration on-chain (here the governance module is played by the admin key).
        const tx = await chain.migrate(address, v2, preserving);
        const ok = await t.admin('POST', `/admin/upgrade/${id}/confirm-migration`, {
          tx_hash: tx.transactionHash.toUpperCase(),
        });
        expect(ok.status, JSON.stringify(ok.body)).toBe(200);
        expect(
          (await t.admin('POST', `/admin/upgrade/${id}/confirm-migration`, { tx_hash: tx.transactionHash }))
            .status,
        ).toBe(409);
      },
    );
    expect(run.execution.status).toBe('SUCCEEDED');
    expect(run.steps.find((s) => s.name === 'Verify governance migration: settlement')?.detail).toMatchObject(
      {
        code_id: v2,
        preserved: 2,
      },
    );
    expect(run.steps.map((s) => s.name)).not.toContain('Migrate contract: settlement');
  });

  it('without a confirmation before the timeout, the upgrade rolls back and resumes the old version', async () => {
    const address = await settlementContract(['g-3']);
    const run = await runUpgrade(api, {
      target_version: '2.0.0',
      reason: 'gov',
      contract: contract(address, preserving, { governance: { timeout_secs: 2 } }),
    });
    expect(run.upgrade.state).toBe('rolled_back');
    expect(run.upgrade.error).toContain('States.Timeout');
    expect((await chain.contractInfo(address)).codeId).toBe(v1);
    expect((await api.admin('GET', '/admin/drain/status')).body).toMatchObject({
      mode: 'Active',
      version: '1.0.0',
    });
  });
});
