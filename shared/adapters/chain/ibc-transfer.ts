/**
 * A contract's CosmWasm `IbcMsg::Transfer` turned into an ICS-20 packet in the simulated chain's packet store,
 * answered as ibc-go's `send_packet` event. The tokens are not moved: the simulated chain keeps no bank balances
 * for contracts (escrow amounts are bookkeeping).
 */
import tsResults from 'ts-results';
import { errorText } from '../../chain/chain-error.ts';
import type { CosmWasmIbcMsg, ModuleResult } from './cw-simulate-internals.ts';
import type { FungibleTokenPacketData, IbcPacket } from './ibc-packet.ts';
import type { SimulatedIbc } from './simulated-ibc.ts';

// ts-results is CommonJS without named exports Node can detect; it is the Result type cw-simulate's modules return.
const { Err, Ok } = tsResults;

/** `IbcMsg::Transfer`'s body (CosmWasm 1.x JSON; `timeout` has `block`, `timestamp` or both, unset ones null). */
interface TransferBody {
  channel_id: string;
  to_address: string;
  amount: { denom: string; amount: string };
  timeout: {
    block?: { revision: number; height: number } | null;
    timestamp?: string | null;
  };
}

function readTransfer(msg: CosmWasmIbcMsg): TransferBody {
  const body = msg.transfer as Partial<TransferBody> | undefined;
  const amount = body?.amount;
  const timeout = body?.timeout;
  if (
    typeof body?.channel_id !== 'string' ||
    typeof body.to_address !== 'string' ||
    typeof amount?.denom !== 'string' ||
    typeof amount.amount !== 'string' ||
    typeof timeout !== 'object' ||
    timeout === null
  ) {
    throw new Error(`Invalid IbcMsg::Transfer: ${JSON.stringify(msg)}`);
  }
  return body as TransferBody;
}

/** The `send_packet` event ibc-go emits (its attribute names; the height as `revision-height`). */
export function sendPacketEvent(packet: IbcPacket): {
  type: string;
  attributes: { key: string; value: string }[];
} {
  const height = `${packet.timeout_height.revision_number}-${packet.timeout_height.revision_height}`;
  const attributes: [string, string][] = [
    ['packet_sequence', String(packet.sequence)],
    ['packet_src_port', packet.source_port],
    ['packet_src_channel', packet.source_channel],
    ['packet_dst_port', packet.destination_port],
    ['packet_dst_channel', packet.destination_channel],
    ['packet_timeout_timestamp', packet.timeout_timestamp],
    ['packet_timeout_height', height],
    ['packet_data_hex', Buffer.from(packet.data, 'base64').toString('hex')],
  ];
  return { type: 'send_packet', attributes: attributes.map(([key, value]) => ({ key, value })) };
}

/** Commits the transfer sent by contract `sender` as a packet on the store's channel; an Err on a bad message. */
export async function sendTransfer(
  ibc: SimulatedIbc,
  sender: string,
  msg: CosmWasmIbcMsg,
): Promise<ModuleResult> {
  try {
    const transfer = readTransfer(msg);
    // ibc-go's packet bytes are the JSON with sorted keys (FungibleTokenPacketData.GetBytes).
    const data: FungibleTokenPacketData = {
      amount: transfer.amount.amount,
      denom: transfer.amount.denom,
      receiver: transfer.to_address,
      sender,
    };
    const block = transfer.timeout.block ?? null;
    const packet = ibc.send({
      source_port: ibc.config.port,
      source_channel: transfer.channel_id,
      data: Buffer.from(JSON.stringify(data), 'utf8').toString('base64'),
      timeout_height: { revision_number: block?.revision ?? 0, revision_height: block?.height ?? 0 },
      timeout_timestamp: transfer.timeout.timestamp ?? '0',
    });
    return Ok({ events: [sendPacketEvent(packet)], data: null });
  } catch (error) {
    return Err(errorText(error));
  }
}
