import type { IbcPacket } from '../domain/ibc-packet.ts';
import type { ChainEvent } from './chain-port.ts';

/**
 * The IBC packet a transaction sent, read from its `send_packet` event (port, channel, sequence, timeout): what a
 * producer registers with its intent. Null when the transaction sent none.
 */
export function sentPacket(events: readonly ChainEvent[] | undefined): IbcPacket | null {
  const sent = events?.find((e) => e.type === 'send_packet');
  if (!sent) return null;
  const attr = (key: string) => sent.attributes.find((a) => a.key === key)?.value;
  const timeout = attr('packet_timeout_timestamp');
  return {
    source_port: String(attr('packet_src_port')),
    source_channel: String(attr('packet_src_channel')),
    sequence: Number(attr('packet_sequence')),
    ...(timeout && timeout !== '0' ? { timeout_timestamp: timeout } : {}),
  };
}
