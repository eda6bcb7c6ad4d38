import { QueryClient, setupIbcExtension } from '@cosmjs/stargate';
import { Comet38Client } from '@cosmjs/tendermint-rpc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKET_REFUSED_CODE, PACKET_TIMED_OUT_CODE } from '../../local/engines/chain-rpc/relayer-methods.ts';
import { type ChainRpc, startChainRpc } from '../../local/engines/chain-rpc/rpc-server.ts';
import { startRelayLoop } from '../../local/sample-services/sample-relayer.ts';
import {
  acknowledgementCommitment,
  packetCommitment,
  SUCCESS_ACK,
} from '../../shared/adapters/chain/ibc-packet.ts';
import { SimulatedChain } from '../../shared/adapters/chain/simulated-chain.ts';
import { escrowWasm, OTHER } from './fixtures.ts';

// The simulated chain's IBC channel seen as a relayer sees it: the escrow contract's release over IBC leaves a
// packet commitment, read through a real CometBFT RPC endpoint with CosmJS's IBC query extension, then relayed or
// timed out through the simulated relayer methods (and by the sample relay loop).
const USER = 'wasm1q5zs2pg9q5zs2pg9q5zs2pg9q5zs2pg9fm3tga';
const RECEIVER = 'cosmos1solverreceiveraddress';
const [PORT, CHANNEL, CP_CHANNEL] = ['transfer', 'channel-0', 'channel-7'];

let chain: SimulatedChain;
let rpc: ChainRpc;
let comet: Comet38Client;
let ibc: ReturnType<typeof setupIbcExtension>['ibc'];
let escrow: string;
let changes = 0;
// Block time ahead of the wall clock, so the store's "now" (max of the two) is the block time.
const start = Math.floor(Date.now() / 1000) + 10_000;
let nextId = 0;

/** Locks and releases an escrow over IBC; the packet's sequence. */
async function releaseOverIbc(timeoutSeconds: number): Promise<number> {
  const id = `e-${++nextId}`;
  await chain.execute(escrow, {
    lock: { id, user: USER, solver: OTHER.solver, user_amount: '700', solver_bond: '1', timeout_seconds: 60 },
  });
  const ibcOptions = { channel_id: CHANNEL, to_address: RECEIVER, timeout_seconds: timeoutSeconds };
  const { events } = await chain.execute(escrow, { release: { id, ibc: ibcOptions } });
  const sent = events?.find((e) => e.type === 'send_packet');
  return Number(sent?.attributes.find((a) => a.key === 'packet_sequence')?.value);
}

async function rpcCall(
  method: string,
  params: unknown,
): Promise<{ result?: unknown; error?: { code: number; message: string } }> {
  const response = await fetch(rpc.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  return (await response.json()) as { result?: unknown; error?: { code: number; message: string } };
}

const commitmentError = (sequence: number) =>
  ibc.channel.packetCommitment(PORT, CHANNEL, sequence).then(
    () => '',
    (e: unknown) => String(e),
  );

async function waitFor(condition: () => boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  chain = SimulatedChain.create({ chainId: 'sim-ibc-1' });
  chain.setBlockTime(start);
  const { codeId } = await chain.upload(escrowWasm(2));
  escrow = (await chain.instantiate(codeId, { denom: 'uescrow' }, 'escrow')).address;
  rpc = await startChainRpc(chain, { chainId: 'sim-ibc-1', onChange: () => void changes++ });
  comet = await Comet38Client.connect(rpc.url);
  ibc = QueryClient.withExtensions(comet, setupIbcExtension).ibc;
});
afterAll(async () => {
  comet?.disconnect();
  await rpc?.stop();
});

describe('the simulated chain over IBC, through the RPC node', () => {
  it('answers the channel for both ends', async () => {
    const ours = await ibc.channel.channel(PORT, CHANNEL);
    expect(ours.channel?.counterparty).toEqual({ portId: PORT, channelId: CP_CHANNEL });
    const theirs = await ibc.channel.channel(PORT, CP_CHANNEL);
    expect(theirs.channel?.counterparty).toEqual({ portId: PORT, channelId: CHANNEL });
    await expect(ibc.channel.channel(PORT, 'channel-3')).rejects.toThrow(/channel not found/);
  });

  it('keeps a released transfer pending until relayed, then the counterparty has a receipt and an ack', async () => {
    const sequence = await releaseOverIbc(600);
    const packet = chain.ibc.commitment(PORT, CHANNEL, sequence);
    if (packet === undefined) throw new Error('no packet');
    expect(JSON.parse(Buffer.from(packet.data, 'base64').toString())).toMatchObject({
      amount: '700',
      denom: 'uescrow',
    });
    const { commitment } = await ibc.channel.packetCommitment(PORT, CHANNEL, sequence);
    expect(Buffer.from(commitment)).toEqual(packetCommitment(packet));
    const listed = await ibc.channel.packetCommitments(PORT, CHANNEL);
    expect(listed.commitments.map((c) => Number(c.sequence))).toContain(sequence);
    expect((await ibc.channel.packetReceipt(PORT, CP_CHANNEL, sequence)).received).toBe(false);
    expect((await ibc.channel.unreceivedPackets(PORT, CP_CHANNEL, [sequence])).sequences).toEqual([
      BigInt(sequence),
    ]);
    expect((await ibc.channel.unreceivedAcks(PORT, CHANNEL, [sequence])).sequences).toEqual([
      BigInt(sequence),
    ]);
    await expect(ibc.channel.packetAcknowledgement(PORT, CP_CHANNEL, sequence)).rejects.toThrow(
      /packet acknowledgement hash not found/,
    );

    const before = changes;
    expect(await rpcCall('simulated_relay_packet', { port: PORT, channel: CHANNEL, sequence })).toMatchObject(
      {
        result: { relayed: true },
      },
    );
    expect(changes).toBe(before + 1);
    expect(await commitmentError(sequence)).toMatch(/packet commitment hash not found/);
    const { acknowledgement } = await ibc.channel.packetAcknowledgement(PORT, CP_CHANNEL, sequence);
    expect(Buffer.from(acknowledgement)).toEqual(acknowledgementCommitment(SUCCESS_ACK));
    expect((await ibc.channel.packetReceipt(PORT, CP_CHANNEL, sequence)).received).toBe(true);
    expect((await ibc.channel.unreceivedPackets(PORT, CP_CHANNEL, [sequence])).sequences).toEqual([]);
    expect((await ibc.channel.unreceivedAcks(PORT, CHANNEL, [sequence])).sequences).toEqual([]);
    const again = await rpcCall('simulated_relay_packet', { port: PORT, channel: CHANNEL, sequence });
    expect(again.error).toMatchObject({
      code: PACKET_REFUSED_CODE,
      message: expect.stringMatching(/No packet commitment/),
    });
  });

  it('refuses to relay a packet past its timeout, and times it out with no receipt', async () => {
    const sequence = await releaseOverIbc(5);
    const params = { port: PORT, channel: CHANNEL, sequence };
    const early = await rpcCall('simulated_timeout_packet', params);
    expect(early.error).toMatchObject({
      code: PACKET_REFUSED_CODE,
      message: expect.stringMatching(/not timed out yet/),
    });
    chain.setBlockTime(chain.blockTime() + 10);
    const late = await rpcCall('simulated_relay_packet', params);
    expect(late.error).toMatchObject({
      code: PACKET_TIMED_OUT_CODE,
      message: expect.stringMatching(/has timed out/),
    });
    expect(await rpcCall('simulated_timeout_packet', params)).toMatchObject({ result: { timed_out: true } });
    expect(await commitmentError(sequence)).toMatch(/packet commitment hash not found/);
    expect((await ibc.channel.packetReceipt(PORT, CP_CHANNEL, sequence)).received).toBe(false);
    expect(chain.ibc.timedOut().map((p) => p.sequence)).toContain(sequence);
    expect((await rpcCall('simulated_relay_packet', { port: PORT })).error?.code).toBe(-32602);
  });

  it('keeps pending commitments across save and load', async () => {
    const sequence = await releaseOverIbc(600);
    const loaded = await SimulatedChain.load(await chain.save());
    expect(loaded.ibc.snapshot()).toEqual(chain.ibc.snapshot());
    expect(loaded.ibc.commitment(PORT, CHANNEL, sequence)).toEqual(
      chain.ibc.commitment(PORT, CHANNEL, sequence),
    );
    loaded.ibc.relay(PORT, CHANNEL, sequence);
    expect(loaded.ibc.receipt(PORT, CP_CHANNEL, sequence)).toBe(true);
    // An old saved file (no `ibc` field) loads with an empty store.
    const { ibc: _dropped, ...old } = JSON.parse(await chain.save()) as Record<string, unknown>;
    expect((await SimulatedChain.load(JSON.stringify(old))).ibc.commitments(PORT, CHANNEL)).toEqual([]);
    chain.ibc.relay(PORT, CHANNEL, sequence);
  });

  it('the sample relay loop relays pending packets while relaying, and leaves them while not', async () => {
    let relaying = false;
    const loop = startRelayLoop({ rpcUrl: rpc.url, intervalMs: 50, relaying: () => relaying });
    try {
      const pending = await releaseOverIbc(600);
      const expiring = await releaseOverIbc(5);
      chain.setBlockTime(chain.blockTime() + 10);
      await new Promise((r) => setTimeout(r, 400));
      expect(chain.ibc.commitments(PORT, CHANNEL).map((p) => p.sequence)).toEqual([pending, expiring]);
      relaying = true;
      await waitFor(() => chain.ibc.commitments(PORT, CHANNEL).length === 0);
      expect(chain.ibc.receipt(PORT, CP_CHANNEL, pending)).toBe(true);
      expect(chain.ibc.receipt(PORT, CP_CHANNEL, expiring)).toBe(false);
      expect(chain.ibc.timedOut().map((p) => p.sequence)).toContain(expiring);
    } finally {
      await loop.stop();
    }
  });

  it('the relay loop waits for a chain that is not up yet', async () => {
    const errors: string[] = [];
    const late = SimulatedChain.create({ chainId: 'sim-ibc-late' });
    const probe = await startChainRpc(late);
    const url = probe.url;
    const port = Number(new URL(url).port);
    await probe.stop();
    const loop = startRelayLoop({
      rpcUrl: url,
      intervalMs: 50,
      relaying: () => true,
      log: (m) => errors.push(m),
    });
    try {
      await new Promise((r) => setTimeout(r, 300));
      const { codeId } = await late.upload(escrowWasm(1));
      const address = (await late.instantiate(codeId, {}, 'escrow')).address;
      await late.execute(address, {
        lock: {
          id: 'x',
          user: USER,
          solver: OTHER.solver,
          user_amount: '1',
          solver_bond: '1',
          timeout_seconds: 60,
        },
      });
      await late.execute(address, {
        release: { id: 'x', ibc: { channel_id: CHANNEL, to_address: RECEIVER, timeout_seconds: 600 } },
      });
      const up = await startChainRpc(late, { port });
      try {
        await waitFor(() => late.ibc.commitments(PORT, CHANNEL).length === 0);
      } finally {
        await loop.stop();
        await up.stop();
      }
      expect(errors).toEqual([]);
    } finally {
      await loop.stop();
    }
  });
});
