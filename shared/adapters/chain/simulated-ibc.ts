/**
 * The packet store of the simulated chain's one IBC channel, with its counterparty modelled beside it.
 *
 * cw-simulate relays IBC messages between in-process chains at once and keeps no packet commitments, so it cannot
 * show a packet pending while a relayer is down, nor a timeout. This store keeps what ibc-go keeps: our send
 * sequence and packet commitments, and on the counterparty's end its receipts and acknowledgements (keyed by the
 * counterparty's port and channel). A relay and a timeout are single steps here; proofs are not modelled.
 */
import { ChainError } from '../../chain/chain-error.ts';
import {
  acknowledgementCommitment,
  hasTimedOut,
  type IbcHeight,
  type IbcPacket,
  type IbcPacketFields,
  packetCommitment,
  packetKey,
  SUCCESS_ACK,
} from './ibc-packet.ts';

/** One end of a channel. */
export interface IbcChannelEnd {
  port: string;
  channel: string;
  connection: string;
}

/** The channel: our end, and the counterparty chain and its end. */
export interface IbcChannelConfig extends IbcChannelEnd {
  version: string;
  counterparty: IbcChannelEnd & { chainId: string };
}

/** The default channel: `transfer/channel-0` here, `transfer/channel-7` on `counterparty-1`. */
export const LOCAL_IBC_CHANNEL: IbcChannelConfig = {
  port: 'transfer',
  channel: 'channel-0',
  connection: 'connection-0',
  version: 'ics20-1',
  counterparty: {
    chainId: 'counterparty-1',
    port: 'transfer',
    channel: 'channel-7',
    connection: 'connection-3',
  },
};

/** A channel end as a query sees it: open, unordered, and the other end as its counterparty. */
export interface IbcChannelView {
  port: string;
  channel: string;
  state: 'OPEN';
  ordering: 'UNORDERED';
  counterparty: { port: string; channel: string };
  connectionHops: string[];
  version: string;
}

/** An acknowledgement written on the counterparty: the ack bytes (base64) and ibc-go's commitment of them (hex). */
export interface IbcAcknowledgement {
  ack: string;
  commitment: string;
}

/** The saved form of a {@link SimulatedIbc} (JSON). */
export interface SimulatedIbcState {
  format: 'simulated-ibc/1';
  /** `port/channel` → the next send sequence. */
  nextSequence: [string, number][];
  commitments: IbcPacket[];
  /** Counterparty `port/channel/sequence` keys. */
  receipts: string[];
  acknowledgements: [string, IbcAcknowledgement][];
  timedOut: IbcPacket[];
}

/** What the store needs to know of the world: "now" in ms, and the counterparty's height if it is modelled. */
export interface SimulatedIbcClock {
  nowMs: () => number;
  /** The counterparty's height; absent, a height timeout never passes (only timestamps time packets out). */
  counterpartyHeight?: () => IbcHeight;
}

/** A relay refused because the packet's timeout has passed: it can only be timed out. */
export class PacketTimedOutError extends ChainError {
  constructor(message: string) {
    super('invalid_request', message);
    this.name = 'PacketTimedOutError';
  }
}

/** A time in ms as ISO 8601, or as a number when out of Date's range. */
const isoTime = (ms: number): string => (Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : `${ms} ms`);

/** The packet store of one channel (see the file comment). */
export class SimulatedIbc {
  private nextSequence = new Map<string, number>();
  private commitmentsByKey = new Map<string, IbcPacket>();
  private receipts = new Set<string>();
  private acks = new Map<string, IbcAcknowledgement>();
  private timedOutPackets: IbcPacket[] = [];

  constructor(
    private readonly clock: SimulatedIbcClock,
    readonly config: IbcChannelConfig = LOCAL_IBC_CHANNEL,
  ) {}

  /** Our end or the counterparty's end of the channel, as its chain's query would answer; undefined otherwise. */
  channel(port: string, channel: string): IbcChannelView | undefined {
    const { config } = this;
    const local = { port: config.port, channel: config.channel };
    const remote = { port: config.counterparty.port, channel: config.counterparty.channel };
    const view = (end: typeof local, other: typeof local, connection: string): IbcChannelView => ({
      ...end,
      state: 'OPEN',
      ordering: 'UNORDERED',
      counterparty: other,
      connectionHops: [connection],
      version: config.version,
    });
    if (port === local.port && channel === local.channel) return view(local, remote, config.connection);
    if (port === remote.port && channel === remote.channel) {
      return view(remote, local, config.counterparty.connection);
    }
    return undefined;
  }

  /** Commits a packet on our end of the channel with the next sequence (from 1) and returns it. */
  send(fields: IbcPacketFields): IbcPacket {
    const { config } = this;
    if (fields.source_port !== config.port || fields.source_channel !== config.channel) {
      throw new ChainError(
        'not_found',
        `No IBC channel ${fields.source_port}/${fields.source_channel} (the simulated chain has ${config.port}/${config.channel})`,
      );
    }
    BigInt(fields.timeout_timestamp); // a malformed timestamp fails here, not at relay time
    if (fields.timeout_timestamp === '0' && fields.timeout_height.revision_height === 0) {
      throw new ChainError('invalid_request', 'An IBC packet needs a timeout height or a timeout timestamp');
    }
    const channelKey = `${config.port}/${config.channel}`;
    const sequence = this.nextSequence.get(channelKey) ?? 1;
    this.nextSequence.set(channelKey, sequence + 1);
    const packet: IbcPacket = {
      ...fields,
      sequence,
      destination_port: config.counterparty.port,
      destination_channel: config.counterparty.channel,
      sent_at_ms: this.clock.nowMs(),
    };
    this.commitmentsByKey.set(packetKey(config.port, config.channel, sequence), packet);
    return packet;
  }

  /**
   * A relayer's MsgRecvPacket then MsgAcknowledgement: the counterparty writes a receipt and the success ack, and
   * our commitment is deleted. Refused for an unknown commitment or a packet whose timeout has passed.
   */
  relay(port: string, channel: string, sequence: number): IbcAcknowledgement {
    const packet = this.requireCommitment(port, channel, sequence);
    if (this.timedOut(packet)) {
      throw new PacketTimedOutError(
        `Packet ${packetKey(port, channel, sequence)} has timed out (${this.timeoutText(packet)}): it can only be timed out, not relayed`,
      );
    }
    const remoteKey = packetKey(packet.destination_port, packet.destination_channel, sequence);
    const ack: IbcAcknowledgement = {
      ack: SUCCESS_ACK.toString('base64'),
      commitment: acknowledgementCommitment(SUCCESS_ACK).toString('hex'),
    };
    this.receipts.add(remoteKey);
    this.acks.set(remoteKey, ack);
    this.commitmentsByKey.delete(packetKey(port, channel, sequence));
    return ack;
  }

  /** A relayer's MsgTimeout: our commitment is deleted (the sender is refunded), with no receipt on the other end. */
  timeout(port: string, channel: string, sequence: number): IbcPacket {
    const packet = this.requireCommitment(port, channel, sequence);
    if (!this.timedOut(packet)) {
      throw new ChainError(
        'invalid_request',
        `Packet ${packetKey(port, channel, sequence)} has not timed out yet (${this.timeoutText(packet)})`,
      );
    }
    this.commitmentsByKey.delete(packetKey(port, channel, sequence));
    this.timedOutPackets.push(packet);
    return packet;
  }

  /** The pending packet under `port/channel/sequence` on our end, if its commitment exists. */
  commitment(port: string, channel: string, sequence: number): IbcPacket | undefined {
    return this.commitmentsByKey.get(packetKey(port, channel, sequence));
  }

  /** ibc-go's commitment hash of a pending packet, if its commitment exists. */
  commitmentHash(port: string, channel: string, sequence: number): Buffer | undefined {
    const packet = this.commitment(port, channel, sequence);
    return packet === undefined ? undefined : packetCommitment(packet);
  }

  /** The pending packets of a channel end, by sequence. */
  commitments(port: string, channel: string): IbcPacket[] {
    return [...this.commitmentsByKey.values()]
      .filter((p) => p.source_port === port && p.source_channel === channel)
      .sort((a, b) => a.sequence - b.sequence);
  }

  /** The acknowledgement written under the counterparty's `port/channel/sequence`, if any. */
  acknowledgement(port: string, channel: string, sequence: number): IbcAcknowledgement | undefined {
    return this.acks.get(packetKey(port, channel, sequence));
  }

  /** Whether the counterparty end `port/channel` has received the packet with this sequence. */
  receipt(port: string, channel: string, sequence: number): boolean {
    return this.receipts.has(packetKey(port, channel, sequence));
  }

  /** Of `sequences`, those the end `port/channel` has not received (ibc-go's UnreceivedPackets). */
  unreceived(port: string, channel: string, sequences: readonly number[]): number[] {
    return sequences.filter((s) => !this.receipt(port, channel, s));
  }

  /** Of `sequences`, those whose ack our end `port/channel` has not processed: the commitment is still there. */
  unreceivedAcks(port: string, channel: string, sequences: readonly number[]): number[] {
    return sequences.filter((s) => this.commitment(port, channel, s) !== undefined);
  }

  /** The packets timed out (their senders refunded), oldest first. */
  timedOut(): IbcPacket[];
  /** Whether `packet`'s timeout has passed now. */
  timedOut(packet: IbcPacketFields): boolean;
  timedOut(packet?: IbcPacketFields): IbcPacket[] | boolean {
    if (packet === undefined) return [...this.timedOutPackets];
    const nowNs = BigInt(Math.floor(this.clock.nowMs())) * 1_000_000n;
    return hasTimedOut(packet, nowNs, this.clock.counterpartyHeight?.() ?? null);
  }

  /** The whole store as JSON-able state. */
  snapshot(): SimulatedIbcState {
    return structuredClone({
      format: 'simulated-ibc/1',
      nextSequence: [...this.nextSequence],
      commitments: [...this.commitmentsByKey.values()],
      receipts: [...this.receipts],
      acknowledgements: [...this.acks],
      timedOut: this.timedOutPackets,
    });
  }

  /** Replaces the store's state with a {@link snapshot}. */
  restore(state: SimulatedIbcState): void {
    if (state.format !== 'simulated-ibc/1') {
      throw new ChainError('invalid_request', `Unknown simulated IBC state format: ${String(state.format)}`);
    }
    const copy = structuredClone(state);
    this.nextSequence = new Map(copy.nextSequence);
    this.commitmentsByKey = new Map(
      copy.commitments.map((p) => [packetKey(p.source_port, p.source_channel, p.sequence), p]),
    );
    this.receipts = new Set(copy.receipts);
    this.acks = new Map(copy.acknowledgements);
    this.timedOutPackets = copy.timedOut;
  }

  private requireCommitment(port: string, channel: string, sequence: number): IbcPacket {
    const packet = this.commitment(port, channel, sequence);
    if (packet === undefined) {
      throw new ChainError(
        'not_found',
        `No packet commitment ${packetKey(port, channel, sequence)}: never sent, or already relayed or timed out`,
      );
    }
    return packet;
  }

  private timeoutText(packet: IbcPacketFields): string {
    const parts: string[] = [];
    if (packet.timeout_timestamp !== '0') {
      const ms = Number(BigInt(packet.timeout_timestamp) / 1_000_000n);
      parts.push(`timeout timestamp ${isoTime(ms)}`);
    }
    const h = packet.timeout_height;
    if (h.revision_height !== 0) parts.push(`timeout height ${h.revision_number}-${h.revision_height}`);
    return `${parts.join(', ')}; now ${isoTime(this.clock.nowMs())}`;
  }
}
