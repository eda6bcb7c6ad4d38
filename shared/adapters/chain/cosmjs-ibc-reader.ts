import { QueryClient, setupIbcExtension } from '@cosmjs/stargate';
import { connectComet } from '@cosmjs/tendermint-rpc';
import { ChainError } from '../../chain/chain-error.ts';
import { type IbcReader, judgePacket, type PacketOnChain } from '../../chain/ibc-reader.ts';
import { type IbcPacket, timeoutAtMs } from '../../domain/ibc-packet.ts';
import { toChainError, withTimeout } from './cosmjs-errors.ts';

type IbcClient = QueryClient & ReturnType<typeof setupIbcExtension>;

/** ibc-go answers a missing commitment or acknowledgement with gRPC NotFound (ABCI code 5 through the RPC). */
const isNotFound = (error: unknown) =>
  /Query failed with \(5\)|not found/i.test(String((error as Error)?.message));

/**
 * {@link IbcReader} through CosmJS's IBC query extension (`setupIbcExtension`) on a CometBFT RPC endpoint. For one
 * packet it reads the channel's counterparty (kept per channel), the packet's commitment on this chain, and its
 * receipt and acknowledgement on the counterparty's end. `counterpartyRpc` is where the counterparty's end is read;
 * by default the same endpoint (the embedded node answers for both ends of its channel).
 */
export class CosmjsIbcReader implements IbcReader {
  private client: Promise<IbcClient> | undefined;
  private counterpart: Promise<IbcClient> | undefined;
  private readonly channels = new Map<string, Promise<{ port: string; channel: string }>>();

  constructor(
    private readonly rpcEndpoint: string,
    private readonly opts: { counterpartyRpc?: string; requestTimeoutMs?: number } = {},
  ) {}

  async packet(p: IbcPacket, nowMs: number): Promise<PacketOnChain> {
    const what = `IBC packet ${p.source_port}/${p.source_channel}/${p.sequence}`;
    try {
      const ours = await this.connect('ours');
      const theirs = await this.connect('theirs');
      const end = await this.counterparty(ours, p.source_port, p.source_channel);
      const [commitment, acknowledged, received] = await Promise.all([
        this.read(what, () =>
          ours.ibc.channel.packetCommitment(p.source_port, p.source_channel, p.sequence),
        ).then((r) => r !== null && r.commitment.length > 0),
        this.read(what, () =>
          theirs.ibc.channel.packetAcknowledgement(end.port, end.channel, p.sequence),
        ).then((r) => r !== null && r.acknowledgement.length > 0),
        this.read(what, () => theirs.ibc.channel.packetReceipt(end.port, end.channel, p.sequence)).then(
          (r) => r?.received === true,
        ),
      ]);
      return judgePacket({ commitment, acknowledged, received }, timeoutAtMs(p), nowMs);
    } catch (error) {
      throw toChainError(`reading ${what}`, error);
    }
  }

  /** A query's answer, or null when the chain says NotFound. */
  private async read<T>(what: string, query: () => Promise<T>): Promise<T | null> {
    try {
      return await withTimeout(what, this.opts.requestTimeoutMs ?? 10_000, query());
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  private counterparty(client: IbcClient, port: string, channel: string) {
    const key = `${port}/${channel}`;
    let found = this.channels.get(key);
    if (!found) {
      found = withTimeout(
        `channel ${key}`,
        this.opts.requestTimeoutMs ?? 10_000,
        client.ibc.channel.channel(port, channel),
      ).then((r) => {
        const c = r.channel?.counterparty;
        if (!c?.channelId)
          throw new ChainError('not_found', `channel ${key} has no counterparty on this chain`);
        return { port: c.portId, channel: c.channelId };
      });
      found.catch(() => this.channels.delete(key));
      this.channels.set(key, found);
    }
    return found;
  }

  private connect(which: 'ours' | 'theirs'): Promise<IbcClient> {
    const url = which === 'theirs' ? (this.opts.counterpartyRpc ?? this.rpcEndpoint) : this.rpcEndpoint;
    if (which === 'theirs' && !this.opts.counterpartyRpc) return this.connect('ours');
    const open = async () =>
      QueryClient.withExtensions(
        await withTimeout(`connecting to ${url}`, this.opts.requestTimeoutMs ?? 10_000, connectComet(url)),
        setupIbcExtension,
      );
    const cached = which === 'ours' ? this.client : this.counterpart;
    if (cached) return cached;
    const opened = open();
    opened.catch(() => {
      if (which === 'ours') this.client = undefined;
      else this.counterpart = undefined;
    });
    if (which === 'ours') this.client = opened;
    else this.counterpart = opened;
    return opened;
  }
}
