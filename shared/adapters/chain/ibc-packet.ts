/**
 * IBC packets as the simulated chain keeps them, and the hashes ibc-go stores for them: the packet commitment
 * (ICS-04 `CommitPacket`) and the acknowledgement commitment (`CommitAcknowledgement`).
 */
import { createHash } from 'node:crypto';

/** An IBC height: `revision_height` 0 means "no height timeout". */
export interface IbcHeight {
  revision_number: number;
  revision_height: number;
}

/** What a sender gives {@link SimulatedIbc.send}; the sequence and the destination are the channel's. */
export interface IbcPacketFields {
  source_port: string;
  source_channel: string;
  /** The packet data, base64. */
  data: string;
  timeout_height: IbcHeight;
  /** Nanoseconds since the epoch as a decimal string; `"0"` means "no timestamp timeout". */
  timeout_timestamp: string;
}

/** A packet sent on our side of a channel, as its commitment records it. */
export interface IbcPacket extends IbcPacketFields {
  sequence: number;
  destination_port: string;
  destination_channel: string;
  /** When it was sent (the store's clock, ms). */
  sent_at_ms: number;
}

/** ICS-20 `FungibleTokenPacketData`, the data of a transfer packet (JSON, fields in this order). */
export interface FungibleTokenPacketData {
  denom: string;
  amount: string;
  sender: string;
  receiver: string;
}

/** The success acknowledgement of ibc-go's transfer module (`channeltypes.NewResultAcknowledgement([]byte{1})`). */
export const SUCCESS_ACK = Buffer.from('{"result":"AQ=="}', 'utf8');

const sha256 = (bytes: Uint8Array): Buffer => createHash('sha256').update(bytes).digest();

function u64be(value: bigint): Buffer {
  const out = Buffer.alloc(8);
  out.writeBigUInt64BE(value);
  return out;
}

/**
 * The packet commitment ibc-go stores under `commitments/ports/{port}/channels/{channel}/sequences/{seq}`:
 * sha256(timeout_timestamp ‖ revision_number ‖ revision_height ‖ sha256(data)), the numbers as big-endian u64.
 */
export function packetCommitment(packet: IbcPacketFields): Buffer {
  return sha256(
    Buffer.concat([
      u64be(BigInt(packet.timeout_timestamp)),
      u64be(BigInt(packet.timeout_height.revision_number)),
      u64be(BigInt(packet.timeout_height.revision_height)),
      sha256(Buffer.from(packet.data, 'base64')),
    ]),
  );
}

/** The acknowledgement commitment ibc-go stores: sha256 of the acknowledgement bytes. */
export function acknowledgementCommitment(ack: Uint8Array): Buffer {
  return sha256(ack);
}

/** The `port/channel/sequence` key of a packet on one end of a channel. */
export function packetKey(port: string, channel: string, sequence: number | bigint): string {
  return `${port}/${channel}/${sequence}`;
}

/**
 * True when the packet can no longer be received: its timestamp timeout (when set) is at or before `nowNs`, or its
 * height timeout (when set) is at or below `counterpartyHeight` (ibc-go's `TimeoutHeight.LTE`/timestamp rule).
 */
export function hasTimedOut(
  packet: IbcPacketFields,
  nowNs: bigint,
  counterpartyHeight: IbcHeight | null,
): boolean {
  const timestamp = BigInt(packet.timeout_timestamp);
  if (timestamp !== 0n && nowNs >= timestamp) return true;
  const height = packet.timeout_height;
  if (counterpartyHeight === null || height.revision_height === 0) return false;
  if (counterpartyHeight.revision_number !== height.revision_number) {
    return counterpartyHeight.revision_number > height.revision_number;
  }
  return counterpartyHeight.revision_height >= height.revision_height;
}
