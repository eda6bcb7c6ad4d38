import { SigningCosmWasmClient } from '@cosmjs/cosmwasm-stargate';
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChainRpc, startChainRpc } from '../../local/engines/chain-rpc/rpc-server.ts';
import { CosmjsChain } from '../../shared/adapters/chain/cosmjs-chain.ts';
import { SimulatedChain, sha256Hex } from '../../shared/adapters/chain/simulated-chain.ts';
import type { Settlement } from '../../shared/chain/settlement-types.ts';
import { caughtChainError, PRESERVING_MIGRATE, settlementWasm } from './fixtures.ts';

// CosmjsChain (what the chain Tasks run on AWS) against the CometBFT RPC endpoint over the simulated chain: real
// CosmJS, real signing, real protobuf, a real CosmWasm VM behind.
const ADMIN_MNEMONIC =
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
const OTHER_MNEMONIC = 'test test test test test test test test test test test junk';
const CHAIN_ID = 'sim-rpc-1';

let rpc: ChainRpc;
let sim: SimulatedChain;
const config = () => ({
  rpcEndpoint: rpc.url,
  chainId: CHAIN_ID,
  prefix: 'wasm',
  gasPrice: '0.025ustake',
  broadcastPollMs: 100,
});

const caught = caughtChainError;

beforeAll(async () => {
  sim = SimulatedChain.create({ chainId: CHAIN_ID });
  rpc = await startChainRpc(sim, { chainId: CHAIN_ID, prefix: 'wasm' });
});
afterAll(() => rpc?.stop());

describe('CosmjsChain over the simulated node', () => {
  it('uploads, instantiates, executes, queries and migrates through signed transactions', async () => {
    const chain = new CosmjsChain(config(), ADMIN_MNEMONIC);
    const admin = await chain.signerAddress();
    const v1 = await chain.upload(settlementWasm(1));
    const v2 = await chain.upload(settlementWasm(2));
    expect(v1.checksum).toBe(sha256Hex(settlementWasm(1)));
    expect(await chain.codeDetails(v2.codeId)).toEqual(v2);
    const { address } = await chain.instantiate(v1.codeId, {}, 'settlement', { admin });
    expect(await chain.contractInfo(address)).toEqual({
      address,
      codeId: v1.codeId,
      admin,
      label: 'settlement',
    });
    const created = await chain.execute(address, {
      create_settlement: {
        id: 's-1',
        user_funds_locked: true,
        solver_funds_locked: true,
        timeout_seconds: 60,
      },
    });
    expect(created.transactionHash).toMatch(/^[0-9A-F]{64}$/);
    expect((await chain.query<Settlement>(address, { settlement: { id: 's-1' } })).status).toBe('inflight');
    await chain.migrate(address, v2.codeId, PRESERVING_MIGRATE);
    expect((await chain.contractInfo(address)).codeId).toBe(v2.codeId);
    // The same contract as the simulated chain itself sees it: the node ran the transactions on it.
    expect((await sim.contractInfo(address)).codeId).toBe(v2.codeId);
    expect(rpc.node.ledger.account(admin).sequence).toBe(5n);
    await chain.disconnect();
  });

  it('answers a migrate by someone other than the admin as unauthorized, and a missing contract as not_found', async () => {
    const owner = new CosmjsChain(config(), ADMIN_MNEMONIC);
    const v1 = await owner.upload(settlementWasm(1));
    const { address } = await owner.instantiate(v1.codeId, {}, 'owned', {
      admin: await owner.signerAddress(),
    });
    const stranger = new CosmjsChain(config(), OTHER_MNEMONIC);
    const refused = await caught(() => stranger.migrate(address, v1.codeId, PRESERVING_MIGRATE));
    expect(refused.code).toBe('unauthorized');
    expect((await owner.contractInfo(address)).codeId).toBe(v1.codeId);
    const missing = await caught(() => owner.contractInfo('wasm1qvpsxqcrqvpsxqcrqvpsxqcrqvpsxqcrgmh09q'));
    expect(missing.code).toBe('not_found');
    await Promise.all([owner.disconnect(), stranger.disconnect()]);
  });

  it("keeps the contract's own refusal as a contract_error in a delivered, failed transaction", async () => {
    const chain = new CosmjsChain(config(), ADMIN_MNEMONIC);
    const v1 = await chain.upload(settlementWasm(1));
    const v2 = await chain.upload(settlementWasm(2));
    const { address } = await chain.instantiate(v1.codeId, {}, 'busy', {
      admin: await chain.signerAddress(),
    });
    await chain.execute(address, {
      create_settlement: {
        id: 'b-1',
        user_funds_locked: true,
        solver_funds_locked: true,
        timeout_seconds: 60,
      },
    });
    const error = await caught(() =>
      chain.migrate(address, v2.codeId, {
        new_version: '2.0.0',
        config: { preserve_inflight: false, stuck_settlement_action: 'preserve' },
      }),
    );
    expect(error.code).toBe('contract_error');
    expect(error.message).toMatch(/inflight/i);
    expect((await chain.contractInfo(address)).codeId).toBe(v1.codeId);
    await chain.disconnect();
  });

  it('reads without the mnemonic: a step that only queries never asks the signer source', async () => {
    const owner = new CosmjsChain(config(), ADMIN_MNEMONIC);
    const v1 = await owner.upload(settlementWasm(1));
    const { address } = await owner.instantiate(v1.codeId, {}, 'read', {
      admin: await owner.signerAddress(),
    });
    let asked = 0;
    const noSecret = {
      mnemonic: async () => {
        asked += 1;
        throw new Error('AccessDeniedException: not authorized to perform secretsmanager:GetSecretValue');
      },
    };
    const reader = new CosmjsChain(config(), noSecret);
    expect((await reader.contractInfo(address)).codeId).toBe(v1.codeId);
    expect(await reader.codeDetails(v1.codeId)).toEqual(v1);
    expect(await reader.query(address, { migration_info: {} })).toBeDefined();
    expect(asked).toBe(0);
    const refused = await caught(() => reader.migrate(address, v1.codeId, PRESERVING_MIGRATE));
    expect(refused.message).toMatch(/Cannot get the signer mnemonic: AccessDeniedException/);
    expect(asked).toBe(1);
    await Promise.all([owner.disconnect(), reader.disconnect()]);
  });

  it('refuses a connection to a node of another chain id', async () => {
    const error = await caught(() =>
      new CosmjsChain({ ...config(), chainId: 'other-1' }, ADMIN_MNEMONIC).contractInfo('wasm1x'),
    );
    expect(error.code).toBe('invalid_request');
    expect(error.message).toContain(`serves chain ${CHAIN_ID}, not the configured other-1`);
  });

  it('refuses a transaction signed for another chain id, as the ante handler does', async () => {
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(ADMIN_MNEMONIC, { prefix: 'wasm' });
    const address = (await wallet.getAccounts())[0]?.address ?? '';
    const offline = await SigningCosmWasmClient.offline(wallet);
    const account = rpc.node.ledger.account(address);
    const fee = { amount: [{ denom: 'ustake', amount: '5000' }], gas: '200000' };
    const msg = {
      typeUrl: '/cosmwasm.wasm.v1.MsgExecuteContract',
      value: { sender: address, contract: 'wasm1x', msg: new TextEncoder().encode('{}'), funds: [] },
    };
    const tx = await offline.sign(address, [msg], fee, '', {
      accountNumber: Number(account.number),
      sequence: Number(account.sequence),
      chainId: 'other-1',
    });
    const { TxRaw } = await import('cosmjs-types/cosmos/tx/v1beta1/tx');
    const sequence = account.sequence;
    const client = await SigningCosmWasmClient.connect(rpc.url);
    await expect(client.broadcastTxSync(TxRaw.encode(tx).finish())).rejects.toThrow(
      /signature verification failed.*chain-id \(sim-rpc-1\)/,
    );
    const truncated = TxRaw.encode({ ...tx, signatures: [new Uint8Array(10)] }).finish();
    await expect(client.broadcastTxSync(truncated)).rejects.toThrow(/signature verification failed/);
    expect(rpc.node.ledger.account(address).sequence).toBe(sequence);
    client.disconnect();
  });
});
