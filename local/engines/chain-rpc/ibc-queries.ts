/**
 * The IBC core channel queries CosmJS's `setupIbcExtension` sends (`/ibc.core.channel.v1.Query/...`), answered from
 * the simulated chain's packet store ({@link SimulatedIbc}): Channel, PacketCommitment(s), PacketReceipt,
 * PacketAcknowledgement, UnreceivedPackets and UnreceivedAcks.
 *
 * The node answers for both ends of its one channel: our end (`transfer/channel-0`: commitments of the packets we
 * sent) and the modelled counterparty's end (`transfer/channel-7` on `counterparty-1`: its receipts and
 * acknowledgements), each under its own port and channel ids, so a relayer asks this one node what it would ask two.
 * Proofs are empty; errors are worded as ibc-go's gRPC errors.
 */

import { Order, PacketState, State } from 'cosmjs-types/ibc/core/channel/v1/channel';
import {
  QueryChannelRequest,
  QueryChannelResponse,
  QueryPacketAcknowledgementRequest,
  QueryPacketAcknowledgementResponse,
  QueryPacketCommitmentRequest,
  QueryPacketCommitmentResponse,
  QueryPacketCommitmentsRequest,
  QueryPacketCommitmentsResponse,
  QueryPacketReceiptRequest,
  QueryPacketReceiptResponse,
  QueryUnreceivedAcksRequest,
  QueryUnreceivedAcksResponse,
  QueryUnreceivedPacketsRequest,
  QueryUnreceivedPacketsResponse,
} from 'cosmjs-types/ibc/core/channel/v1/query';
import { Height } from 'cosmjs-types/ibc/core/client/v1/client';
import type { SimulatedIbc } from '../../../shared/adapters/chain/simulated-ibc.ts';

/** An ABCI query's answer (as {@link SimulatedNode.query} returns it). */
export interface IbcQueryAnswer {
  readonly code: number;
  readonly value: Uint8Array;
  readonly log: string;
}

const PREFIX = '/ibc.core.channel.v1.Query/';
/** Page size when the request gives none (the Cosmos SDK's default). */
const DEFAULT_PAGE_LIMIT = 100;

const ok = (value: Uint8Array): IbcQueryAnswer => ({ code: 0, value, log: '' });
const grpcError = (code: number, name: string, desc: string): IbcQueryAnswer => ({
  code,
  value: new Uint8Array(),
  log: `rpc error: code = ${name} desc = ${desc}`,
});
const notFound = (desc: string) => grpcError(5, 'NotFound', desc);
const invalid = (desc: string) => grpcError(3, 'InvalidArgument', desc);

/** A sequence as the pagination key: 8 bytes big-endian, as ibc-go's store keys sort. */
function sequenceKey(sequence: number): Uint8Array {
  const key = Buffer.alloc(8);
  key.writeBigUInt64BE(BigInt(sequence));
  return key;
}

/** One page of `items` (sorted by sequence) from a Cosmos SDK `PageRequest`: by key, else by offset. */
function page<T extends { sequence: number }>(
  items: readonly T[],
  request: { key: Uint8Array; offset: bigint; limit: bigint; countTotal: boolean } | undefined,
): { items: T[]; nextKey: Uint8Array; total: bigint } {
  const limit = request !== undefined && request.limit > 0n ? Number(request.limit) : DEFAULT_PAGE_LIMIT;
  let start = 0;
  if (request !== undefined && request.key.length === 8) {
    const from = Number(Buffer.from(request.key).readBigUInt64BE());
    start = items.findIndex((item) => item.sequence >= from);
    if (start < 0) start = items.length;
  } else if (request !== undefined) {
    start = Number(request.offset);
  }
  const chosen = items.slice(start, start + limit);
  const next = items[start + limit];
  return {
    items: chosen,
    nextKey: next === undefined ? new Uint8Array() : sequenceKey(next.sequence),
    total: request?.countTotal && request.key.length === 0 ? BigInt(items.length) : 0n,
  };
}

/** Answers an IBC channel query path, or returns undefined for any other path. */
export function ibcQuery(
  ibc: SimulatedIbc,
  height: number,
  path: string,
  data: Uint8Array,
): IbcQueryAnswer | undefined {
  if (!path.startsWith(PREFIX)) return undefined;
  const proofHeight = Height.fromPartial({ revisionNumber: 0n, revisionHeight: BigInt(height) });
  const proof = new Uint8Array();
  const sequenceOf = (sequence: bigint): number | IbcQueryAnswer =>
    sequence === 0n ? invalid('packet sequence cannot be 0: invalid packet') : Number(sequence);
  switch (path.slice(PREFIX.length)) {
    case 'Channel': {
      const { portId, channelId } = QueryChannelRequest.decode(data);
      const view = ibc.channel(portId, channelId);
      if (view === undefined) {
        return notFound(`port-id: ${portId}, channel-id: ${channelId}: channel not found`);
      }
      const channel = {
        state: State.STATE_OPEN,
        ordering: Order.ORDER_UNORDERED,
        counterparty: { portId: view.counterparty.port, channelId: view.counterparty.channel },
        connectionHops: view.connectionHops,
        version: view.version,
      };
      return ok(QueryChannelResponse.encode({ channel, proof, proofHeight }).finish());
    }
    case 'PacketCommitment': {
      const request = QueryPacketCommitmentRequest.decode(data);
      const sequence = sequenceOf(request.sequence);
      if (typeof sequence !== 'number') return sequence;
      const commitment = ibc.commitmentHash(request.portId, request.channelId, sequence);
      if (commitment === undefined) return notFound('packet commitment hash not found');
      return ok(QueryPacketCommitmentResponse.encode({ commitment, proof, proofHeight }).finish());
    }
    case 'PacketCommitments': {
      const { portId, channelId, pagination } = QueryPacketCommitmentsRequest.decode(data);
      const chosen = page(ibc.commitments(portId, channelId), pagination);
      const commitments = chosen.items.map((packet) =>
        PacketState.fromPartial({
          portId,
          channelId,
          sequence: BigInt(packet.sequence),
          data: ibc.commitmentHash(portId, channelId, packet.sequence),
        }),
      );
      return ok(
        QueryPacketCommitmentsResponse.encode({
          commitments,
          pagination: { nextKey: chosen.nextKey, total: chosen.total },
          height: proofHeight,
        }).finish(),
      );
    }
    case 'PacketReceipt': {
      const request = QueryPacketReceiptRequest.decode(data);
      const sequence = sequenceOf(request.sequence);
      if (typeof sequence !== 'number') return sequence;
      const received = ibc.receipt(request.portId, request.channelId, sequence);
      return ok(QueryPacketReceiptResponse.encode({ received, proof, proofHeight }).finish());
    }
    case 'PacketAcknowledgement': {
      const request = QueryPacketAcknowledgementRequest.decode(data);
      const sequence = sequenceOf(request.sequence);
      if (typeof sequence !== 'number') return sequence;
      const ack = ibc.acknowledgement(request.portId, request.channelId, sequence);
      if (ack === undefined) return notFound('packet acknowledgement hash not found');
      const acknowledgement = Buffer.from(ack.commitment, 'hex');
      return ok(QueryPacketAcknowledgementResponse.encode({ acknowledgement, proof, proofHeight }).finish());
    }
    case 'UnreceivedPackets': {
      const { portId, channelId, packetCommitmentSequences } = QueryUnreceivedPacketsRequest.decode(data);
      if (packetCommitmentSequences.includes(0n)) return invalid('packet sequence 0 cannot be 0');
      const unreceived = ibc.unreceived(portId, channelId, packetCommitmentSequences.map(Number));
      return ok(
        QueryUnreceivedPacketsResponse.encode({
          sequences: unreceived.map(BigInt),
          height: proofHeight,
        }).finish(),
      );
    }
    case 'UnreceivedAcks': {
      const { portId, channelId, packetAckSequences } = QueryUnreceivedAcksRequest.decode(data);
      if (packetAckSequences.includes(0n)) return invalid('packet sequence 0 cannot be 0');
      const unreceived = ibc.unreceivedAcks(portId, channelId, packetAckSequences.map(Number));
      return ok(
        QueryUnreceivedAcksResponse.encode({
          sequences: unreceived.map(BigInt),
          height: proofHeight,
        }).finish(),
      );
    }
    default:
      return grpcError(
        12,
        'Unimplemented',
        `unknown IBC channel query ${path} (not served by the simulated node)`,
      );
  }
}
