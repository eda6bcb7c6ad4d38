/**
 * A sample IBC relayer for the simulated chain: a loop that, while `relaying()` says so, lists the packets pending
 * on one channel end (their commitments, through CosmJS's IBC query extension) and relays each, or times it out
 * when the node refuses the relay because its timeout has passed (the relayer does not read the packets' data),
 * through the simulated node's `simulated_relay_packet` and `simulated_timeout_packet`
 * methods (which stand in for MsgRecvPacket + MsgAcknowledgement and MsgTimeout; proofs are not modelled).
 * When `relaying()` is false, packets stay pending, as when a real relayer is down.
 */
import { QueryClient, setupIbcExtension } from '@cosmjs/stargate';
import { Comet38Client } from '@cosmjs/tendermint-rpc';
import {
  PACKET_TIMED_OUT_CODE,
  RELAY_PACKET_METHOD,
  TIMEOUT_PACKET_METHOD,
} from '../engines/chain-rpc/relayer-methods.ts';

/** Options of {@link startRelayLoop}. */
export interface RelayLoopOptions {
  /** The simulated node's CometBFT RPC URL. */
  rpcUrl: string;
  /** Our end of the channel; the defaults are the simulated chain's one channel. */
  port?: string;
  channel?: string;
  /** Time between passes, ms (default 200). */
  intervalMs?: number;
  /** Whether the relayer is up: asked before each pass. */
  relaying: () => boolean;
  /** Where problems are reported (default console.error). */
  log?: (message: string) => void;
}

/** A running relay loop. */
export interface RelayLoop {
  /** Stops the loop; resolves once a pass under way has finished. */
  stop(): Promise<void>;
}

type IbcQueries = ReturnType<typeof QueryClient.withExtensions<ReturnType<typeof setupIbcExtension>>>;

/** A JSON-RPC error answered by the node. */
class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** One JSON-RPC call (HTTP POST); an error reply is thrown as {@link RpcError}. */
async function jsonRpc(url: string, method: string, params: Record<string, unknown>): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: Date.now(), method, params }),
  });
  const reply = (await response.json()) as { result?: unknown; error?: { code: number; message?: string } };
  if (reply.error !== undefined) {
    throw new RpcError(reply.error.code, `${method}: ${reply.error.message ?? 'error'}`);
  }
  return reply.result;
}

/** True when `error` (or its cause) is a refused connection: the chain is not up yet, try again next pass. */
function connectionRefused(error: unknown): boolean {
  for (let e: unknown = error; e !== undefined && e !== null; e = (e as { cause?: unknown }).cause) {
    const text = `${(e as { code?: unknown }).code ?? ''} ${e instanceof Error ? e.message : String(e)}`;
    if (/ECONNREFUSED|fetch failed|socket hang up/i.test(text)) return true;
    if (typeof e !== 'object') break;
  }
  return false;
}

/**
 * Every `intervalMs`, when `relaying()` is true: each pending packet of `port/channel` is relayed, or timed out if
 * the node refuses the relay because its timeout has passed. Errors are logged and never stop the loop; a refused
 * connection is retried on the next pass silently.
 */
export function startRelayLoop(options: RelayLoopOptions): RelayLoop {
  const { rpcUrl, relaying } = options;
  const port = options.port ?? 'transfer';
  const channel = options.channel ?? 'channel-0';
  const intervalMs = options.intervalMs ?? 200;
  const log = options.log ?? ((message: string) => console.error(`sample relayer: ${message}`));
  let queries: { client: Comet38Client; ibc: IbcQueries } | undefined;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();

  async function connect(): Promise<IbcQueries> {
    if (queries === undefined) {
      const client = await Comet38Client.connect(rpcUrl);
      queries = { client, ibc: QueryClient.withExtensions(client, setupIbcExtension) };
    }
    return queries.ibc;
  }

  async function pass(): Promise<void> {
    const ibc = await connect();
    const { commitments } = await ibc.ibc.channel.allPacketCommitments(port, channel);
    for (const commitment of commitments) {
      if (stopped || !relaying()) return;
      const params = { port, channel, sequence: Number(commitment.sequence) };
      try {
        await jsonRpc(rpcUrl, RELAY_PACKET_METHOD, params);
      } catch (error) {
        // Only the node knows the packet's timeout against its clock: a timed-out packet is refused with this code.
        if (!(error instanceof RpcError && error.code === PACKET_TIMED_OUT_CODE)) throw error;
        await jsonRpc(rpcUrl, TIMEOUT_PACKET_METHOD, params);
      }
    }
  }

  let busy = false;
  const timer = setInterval(() => {
    if (stopped || busy || !relaying()) return; // one pass at a time: a slow pass skips ticks, never queues them
    busy = true;
    running = running.then(() =>
      pass()
        .catch((error: unknown) => {
          if (connectionRefused(error)) {
            queries?.client.disconnect();
            queries = undefined;
            return;
          }
          log(error instanceof Error ? error.message : String(error));
        })
        .finally(() => {
          busy = false;
        }),
    );
  }, intervalMs);

  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
      queries?.client.disconnect();
      queries = undefined;
    },
  };
}
