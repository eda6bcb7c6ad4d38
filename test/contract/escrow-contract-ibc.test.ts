import { beforeAll, describe, expect, it } from 'vitest';
import { packetCommitment } from '../../shared/adapters/chain/ibc-packet.ts';
import { SimulatedChain } from '../../shared/adapters/chain/simulated-chain.ts';
import { caughtChainError, escrowWasm, OTHER } from '../chain/fixtures.ts';

// The escrow contract's release over IBC: the committed wasm in cw-simulate, its IbcMsg::Transfer landing in the
// simulated chain's packet store (shared/adapters/chain/simulated-ibc.ts).
const USER = 'wasm1q5zs2pg9q5zs2pg9q5zs2pg9q5zs2pg9fm3tga';
const RECEIVER = 'cosmos1solverreceiveraddress';

/** The message of the ChainError `p` rejects with. */
const refused = async (p: Promise<unknown>): Promise<string> => (await caughtChainError(() => p)).message;

const attribute = (
  events: readonly { type: string; attributes: readonly { key: string; value: string }[] }[],
  type: string,
) => Object.fromEntries(events.find((e) => e.type === type)?.attributes.map((a) => [a.key, a.value]) ?? []);

describe.each([1, 2] as const)('escrow contract v%i, release over IBC', (version) => {
  const chain = SimulatedChain.create({ chainId: `escrow-ibc-${version}` });
  const now = 4_000_000_000; // after the wall clock, so block time is "now" for timeouts
  let address: string;

  beforeAll(async () => {
    const { codeId } = await chain.upload(escrowWasm(version));
    chain.setBlockTime(now);
    address = (await chain.instantiate(codeId, { denom: 'uosmo' }, 'escrow')).address;
    for (const id of ['e-1', 'e-2', 'e-3']) {
      await chain.execute(address, {
        lock: {
          id,
          user: USER,
          solver: OTHER.solver,
          user_amount: '1000',
          solver_bond: '5',
          timeout_seconds: 60,
        },
      });
    }
  });

  it('sends the user amount to the solver on the counterparty as an ICS-20 packet', async () => {
    const ibc = { channel_id: 'channel-0', to_address: RECEIVER, timeout_seconds: 600 };
    const events = (await chain.execute(address, { release: { id: 'e-1', ibc } })).events ?? [];
    expect(attribute(events, 'wasm')).toMatchObject({
      action: 'release',
      ibc_channel: 'channel-0',
      ibc_receiver: RECEIVER,
    });
    const sent = attribute(events, 'send_packet');
    const timeout = String(BigInt(now + 600) * 1_000_000_000n);
    expect(sent).toMatchObject({
      packet_sequence: '1',
      packet_src_port: 'transfer',
      packet_src_channel: 'channel-0',
      packet_dst_port: 'transfer',
      packet_dst_channel: 'channel-7',
      packet_timeout_timestamp: timeout,
      packet_timeout_height: '0-0',
    });
    const data = JSON.parse(Buffer.from(sent.packet_data_hex ?? '', 'hex').toString('utf8'));
    expect(data).toEqual({ amount: '1000', denom: 'uosmo', receiver: RECEIVER, sender: address });
    const packet = chain.ibc.commitment('transfer', 'channel-0', 1);
    expect(packet).toMatchObject({ sequence: 1, timeout_timestamp: timeout });
    if (packet === undefined) throw new Error('no commitment');
    expect(chain.ibc.commitmentHash('transfer', 'channel-0', 1)).toEqual(packetCommitment(packet));
    expect((await chain.query<{ status: string }>(address, { escrow: { id: 'e-1' } })).status).toBe(
      'released',
    );

    await chain.execute(address, { release: { id: 'e-2', ibc: { ...ibc, timeout_seconds: 5 } } });
    expect(chain.ibc.commitments('transfer', 'channel-0').map((p) => p.sequence)).toEqual([1, 2]);
  });

  it('refuses bad ibc options, and a transfer the chain refuses rolls the release back', async () => {
    const release = (ibc: unknown) => chain.execute(address, { release: { id: 'e-3', ibc } });
    expect(await refused(release({ channel_id: 'channel-0', timeout_seconds: 5 }))).toContain(
      "missing field 'to_address'",
    );
    expect(
      await refused(release({ channel_id: 'channel-0', to_address: RECEIVER, timeout_seconds: 0 })),
    ).toContain('timeout_seconds must be greater than zero');
    expect(
      await refused(
        release({ channel_id: 'channel-0', to_address: RECEIVER, timeout_seconds: 5, memo: 'x' }),
      ),
    ).toContain("unknown field 'memo'");
    expect(
      await refused(chain.execute(address, { refund: { id: 'e-3', ibc: { channel_id: 'channel-0' } } })),
    ).toContain("unknown field 'ibc'");
    const before = chain.ibc.snapshot();
    expect(
      await refused(release({ channel_id: 'channel-9', to_address: RECEIVER, timeout_seconds: 5 })),
    ).toContain('No IBC channel transfer/channel-9');
    expect((await chain.query<{ status: string }>(address, { escrow: { id: 'e-3' } })).status).toBe('locked');
    expect(chain.ibc.snapshot()).toEqual(before);
  });
});
