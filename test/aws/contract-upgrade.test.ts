import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type ChainRpc, startChainRpc } from '../../local/engines/chain-rpc/rpc-server.ts';
import { type RelayLoop, startRelayLoop } from '../../local/sample-services/sample-relayer.ts';
import { CosmjsChain } from '../../shared/adapters/chain/cosmjs-chain.ts';
import { SimulatedChain, sha256Hex } from '../../shared/adapters/chain/simulated-chain.ts';
import { sentPacket } from '../../shared/chain/sent-packet.ts';
import type { Settlement } from '../../shared/chain/settlement-types.ts';
import { escrowWasm, OTHER, PRESERVING_MIGRATE, settlementWasm } from '../chain/fixtures.ts';
import { AwsHarness, cloudAssembly } from './harness.ts';
import { readApp } from './template.ts';

/**
 * The contract upgrade under AWS's rules: the chain Task bundles speak CosmJS to a CometBFT RPC endpoint over the
 * simulated chain (local/engines/chain-rpc), signing with the mnemonic they read from Secrets Manager under their
 * template policy. Secrets Manager has no local engine: the harness answers GetSecretValue (after the IAM check).
 * The settings are what `-c chainRpcEndpoint=... -c chainId=... -c chainPrefix=... -c chainGasPrice=...` puts in
 * every function's environment.
 */
const MNEMONIC =
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
const CHAIN_ID = 'harness-1';
let aws: AwsHarness;
let rpc: ChainRpc;
let sim: SimulatedChain;
let admin: string;
let v1: number;
let v2: number;
let escrowV1: number;
let escrowV2: number;

beforeAll(async () => {
  sim = SimulatedChain.create({ chainId: CHAIN_ID });
  rpc = await startChainRpc(sim, { chainId: CHAIN_ID, prefix: 'wasm' });
  admin = await new CosmjsChain(
    { rpcEndpoint: rpc.url, chainId: CHAIN_ID, prefix: 'wasm', gasPrice: '0.025ustake' },
    MNEMONIC,
  ).signerAddress();
  v1 = (await sim.upload(settlementWasm(1))).codeId;
  v2 = (await sim.upload(settlementWasm(2))).codeId;
  escrowV1 = (await sim.upload(escrowWasm(1))).codeId;
  escrowV2 = (await sim.upload(escrowWasm(2))).codeId;
  const secretArn = readApp(cloudAssembly()).data.secretArn;
  aws = await AwsHarness.start(
    inject('dynamoEndpoint'),
    { [secretArn]: MNEMONIC },
    {
      CHAIN_RPC_ENDPOINT: rpc.url,
      CHAIN_ID,
      CHAIN_PREFIX: 'wasm',
      CHAIN_GAS_PRICE: '0.025ustake',
      CHAIN_BROADCAST_POLL_MS: '200',
      SIGNER_SECRET_ID: secretArn,
    },
  );
}, 180_000);
afterAll(async () => {
  await aws?.stop();
  await rpc?.stop();
});

const api = (method: string, path: string, body?: unknown) => aws.api('admin', method, path, body);
const denials = () => [
  ...new Set(aws.iam.denials.map((d) => `${d.principal.split('/').at(-1)}: ${d.action} on ${d.resource}`)),
];

/** A settlement contract on code v1 whose admin is the signer the Tasks use, holding inflight settlements. */
async function settlementContract(ids: string[]): Promise<string> {
  const { address } = await sim.instantiate(v1, {}, 'settlement', { admin });
  for (const id of ids)
    await sim.execute(address, {
      create_settlement: { id, user_funds_locked: true, solver_funds_locked: true, timeout_seconds: 3600 },
    });
  return address;
}

/** The escrow contract on code v1 (admin: the Tasks' signer), holding locked escrows. */
async function escrowContract(ids: string[]): Promise<string> {
  const { address } = await sim.instantiate(escrowV1, {}, 'escrow', { admin });
  for (const id of ids)
    await sim.execute(address, {
      lock: {
        id,
        user: admin,
        solver: OTHER.solver,
        user_amount: '10',
        solver_bond: '5',
        timeout_seconds: 3600,
      },
    });
  return address;
}

const settlementSection = (address: string, extra: Record<string, unknown> = {}) => ({
  address,
  new_code_id: v2,
  expected_checksum: sha256Hex(settlementWasm(2)),
  migrate_msg: PRESERVING_MIGRATE,
  ...extra,
});

async function upgrade(
  target: string | undefined,
  address: string,
  extra: Record<string, unknown> = {},
  during?: (id: string) => Promise<void>,
  sections: Record<string, unknown> = { contract: settlementSection(address, extra) },
) {
  const started = await api('POST', '/admin/upgrade/start', {
    target_version: target,
    reason: 'contract v2 on AWS',
    poll_interval_secs: 1,
    rollback_retry_delay_secs: 0,
    override_min_interval_reason: 'harness',
    ...sections,
  });
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  await during?.(started.body.upgrade_id as string);
  const execution = await aws.workflow.finished(started.body.execution_arn as string);
  const detail = (await api('GET', `/admin/upgrades/${started.body.upgrade_id as string}`)).body as {
    upgrade: Record<string, unknown>;
    steps: { name: string; detail?: Record<string, unknown> }[];
  };
  return { execution, ...detail };
}

/** Both contracts, escrow first: what the whole-system upgrade migrates. */
const bothContracts = (
  escrow: string,
  settlement: string,
  settlementExtra: Record<string, unknown> = {},
) => ({
  contracts: [
    {
      name: 'escrow',
      address: escrow,
      new_code_id: escrowV2,
      expected_checksum: sha256Hex(escrowWasm(2)),
      migrate_msg: { new_version: '2.0.0', config: { preserve_inflight: true } },
    },
    { name: 'settlement', ...settlementSection(settlement, settlementExtra) },
  ],
});

describe('the contract upgrade under AWS rules (chain Task bundles over CometBFT RPC)', () => {
  it('two contracts: a failure at the second rolls back both, newest first, through the Task bundles', async () => {
    const escrow = await escrowContract(['e-1', 'e-2']);
    const address = await settlementContract(['w-1']);
    const run = await upgrade(
      '2.0.0',
      address,
      {},
      undefined,
      bothContracts(escrow, address, { expected_version: '2.0.9' }),
    );
    expect(run.upgrade.state, JSON.stringify(run.upgrade.error)).toBe('rolled_back');
    expect((await sim.contractInfo(escrow)).codeId).toBe(escrowV1);
    expect((await sim.contractInfo(address)).codeId).toBe(v1);
    expect(
      run.steps
        .filter((s) => s.name === 'Roll back changed components' && s.detail?.done === false)
        .map((s) => s.detail?.contract),
    ).toEqual(['settlement', 'escrow']);
    expect(await sim.query(escrow, { locked_escrows: {} })).toMatchObject({ count: 2 });
    expect(denials()).toEqual([]);
  }, 120_000);

  it('a failed verification after the migrate rolls the contract back to v1 through the Task bundles', async () => {
    const address = await settlementContract(['r-1', 'r-2']);
    const before = await Promise.all(
      ['r-1', 'r-2'].map((id) => sim.query<Settlement>(address, { settlement: { id } })),
    );
    const run = await upgrade('2.0.0', address, { expected_version: '2.0.9' });
    expect(run.upgrade.state, JSON.stringify(run.upgrade.error)).toBe('rolled_back');
    expect(String(run.upgrade.error)).toContain('ContractVerificationFailed');
    expect((await sim.contractInfo(address)).codeId).toBe(v1);
    expect(run.steps.find((s) => s.name === 'Roll back changed components')?.detail).toMatchObject({
      code_id: v1,
      preserved: 2,
    });
    expect(
      await Promise.all(['r-1', 'r-2'].map((id) => sim.query<Settlement>(address, { settlement: { id } }))),
    ).toEqual(before);
    expect((await api('GET', '/admin/drain/status')).body).toMatchObject({
      mode: 'Active',
      version: '1.0.0',
    });
    expect(denials()).toEqual([]);
  }, 120_000);
  it('governance mode: the proposal migrates on-chain, the operator confirms, a read-only Task verifies it', async () => {
    const address = await settlementContract(['g-1', 'g-2']);
    const governance = new CosmjsChain(
      {
        rpcEndpoint: rpc.url,
        chainId: CHAIN_ID,
        prefix: 'wasm',
        gasPrice: '0.025ustake',
        broadcastPollMs: 100,
      },
      MNEMONIC,
    );
    const run = await upgrade('1.1.0', address, { governance: { timeout_secs: 120 } }, async (id) => {
      for (let i = 0; ; i++) {
        const status = (await api('GET', '/admin/upgrade/status')).body;
        if (status.current_step === 'Waiting for governance migration') break;
        if (i > 300) throw new Error(`never waited for governance: ${JSON.stringify(status)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      // Here the governance module is played by the admin key, through the node like any transaction.
      const tx = await governance.migrate(address, v2, PRESERVING_MIGRATE);
      const confirmed = await api('POST', `/admin/upgrade/${id}/confirm-migration`, {
        tx_hash: tx.transactionHash,
      });
      expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    });
    await governance.disconnect();
    expect(run.execution.status, JSON.stringify(run.upgrade)).toBe('SUCCEEDED');
    expect(run.steps.find((s) => s.name === 'Verify governance migration: settlement')?.detail).toMatchObject(
      {
        code_id: v2,
        preserved: 2,
      },
    );
    expect(run.steps.map((s) => s.name)).not.toContain('Migrate contract: settlement');
    expect(denials()).toEqual([]);
  }, 120_000);

  it('migrates the escrow and the settlement contract in one upgrade, each verified, signed by the secret key', async () => {
    const escrow = await escrowContract(['e-3']);
    const address = await settlementContract(['s-1', 's-2', 's-3']);
    const run = await upgrade('2.0.0', address, {}, undefined, bothContracts(escrow, address));
    expect(run.execution.status, JSON.stringify(run.upgrade)).toBe('SUCCEEDED');
    expect(run.upgrade.state).toBe('succeeded');
    expect((await sim.contractInfo(address)).codeId).toBe(v2);
    expect((await sim.contractInfo(escrow)).codeId).toBe(escrowV2);
    expect(await sim.query(address, { migration_info: {} })).toMatchObject({
      current_version: '2.0.0',
      preserved_inflight_count: 3,
    });
    expect(run.steps.find((s) => s.name === 'Migrate contract: settlement')?.detail).toMatchObject({
      code_id: v2,
      preserved: 3,
    });
    expect(run.steps.find((s) => s.name === 'Migrate contract: escrow')?.detail).toMatchObject({
      code_id: escrowV2,
      preserved: 1,
    });
    // The migrates went through the node as signed transactions from the admin's account.
    expect(rpc.node.ledger.account(admin).sequence).toBeGreaterThan(0n);
    expect(denials()).toEqual([]);
  }, 120_000);
});

describe('IBC packets under AWS rules: the chain Tasks read them through the RPC endpoint', () => {
  it('a relayer replaced in a maintenance with packets pending: relayed, then verified on chain by the Task bundle; no denial', async () => {
    await api('GET', '/admin/drain/status'); // an admin call initialises a fresh deployment
    const escrow = await escrowContract(['p-1', 'p-2']);
    const packets = [];
    for (const id of ['p-1', 'p-2']) {
      const out = await sim.execute(escrow, {
        release: { id, ibc: { channel_id: 'channel-0', to_address: 'cosmos1solver', timeout_seconds: 3600 } },
      });
      const packet = sentPacket(out.events);
      if (!packet) throw new Error(`release of ${id} sent no packet`);
      packets.push(packet);
      const reg = await aws.api('intent', 'POST', '/intents', { id: `ibc-${id}`, ibc_packets: [packet] });
      expect(reg.status, JSON.stringify(reg.body)).toBe(201);
    }
    let relay: RelayLoop | undefined;
    // A maintenance upgrade (the running version): the operator replaces the relayer during the wait.
    const run = await upgrade(
      undefined,
      '',
      {},
      async (id) => {
        for (let i = 0; ; i++) {
          const status = (await api('GET', '/admin/upgrade/status')).body;
          if (status.current_step === 'Waiting for the operator (maintenance)') break;
          if (i > 300 || status.state !== 'running')
            throw new Error(`never waited for the relayer: ${JSON.stringify(status)}`);
          await new Promise((r) => setTimeout(r, 100));
        }
        // The operator's new relayer starts relaying; then the deploy is confirmed.
        relay = startRelayLoop({ rpcUrl: rpc.url, intervalMs: 100, relaying: () => true });
        expect((await api('POST', `/admin/upgrade/${id}/continue`)).status).toBe(200);
      },
      {
        drain_timeout_secs: 1,
        force_after_timeout: true,
        ibc_verify_timeout_secs: 20,
        services: [{ name: 'relayer', deploy: { mode: 'manual', deploy_timeout_secs: 60 } }],
      },
    );
    await relay?.stop();
    expect(run.upgrade.state, JSON.stringify(run.upgrade.error)).toBe('succeeded');
    const v = (run.upgrade.ibc_verification as { after_resume: Record<string, unknown> }).after_resume;
    expect(v).toMatchObject({ checked: 2, relayed: 2, pending: 0, timed_out: 0, unknown: 0 });
    for (const p of packets) expect(sim.ibc.commitment('transfer', 'channel-0', p.sequence)).toBeUndefined();
    expect(denials()).toEqual([]);
  }, 120_000);
});
