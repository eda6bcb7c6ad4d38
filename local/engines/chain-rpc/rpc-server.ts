import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SimulatedChain } from '../../../shared/adapters/chain/simulated-chain.ts';
import { PacketTimedOutError } from '../../../shared/adapters/chain/simulated-ibc.ts';
import type { TxOutcome } from './deliver-tx.ts';
import type { IncludedTx } from './ledger.ts';
import {
  PACKET_REFUSED_CODE,
  PACKET_TIMED_OUT_CODE,
  RELAY_PACKET_METHOD,
  TIMEOUT_PACKET_METHOD,
} from './relayer-methods.ts';
import { SimulatedNode } from './simulated-node.ts';

/** The CometBFT version reported: CosmJS picks its 0.38 client, whose JSON this server speaks. */
const COMET_VERSION = '0.38.17';

/** A running RPC endpoint over a simulated chain. */
export interface ChainRpc {
  /** `http://127.0.0.1:<port>`, what CosmJS connects to. */
  readonly url: string;
  readonly node: SimulatedNode;
  stop(): Promise<void>;
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const hex20 = (seed: string) => createHash('sha256').update(seed).digest('hex').slice(0, 40).toUpperCase();
const hex32 = (seed: string) => createHash('sha256').update(seed).digest('hex').toUpperCase();

/** ABCI results as CometBFT 0.38 prints them (event attributes in plain strings). */
const txResult = (o: TxOutcome) => ({
  code: o.code,
  codespace: o.codespace,
  log: o.log,
  info: '',
  data: null,
  gas_wanted: String(o.gasWanted),
  gas_used: String(o.gasUsed),
  events: o.events.map((e) => ({
    type: e.type,
    attributes: e.attributes.map((a) => ({ key: a.key, value: a.value, index: true })),
  })),
});

const txJson = (t: IncludedTx) => ({
  hash: t.hash,
  height: String(t.height),
  index: 0,
  tx_result: txResult(t.outcome),
  tx: b64(t.tx),
});

function status(node: SimulatedNode, url: string) {
  const { chainId, height, blockTime } = node.ledger;
  return {
    node_info: {
      protocol_version: { p2p: '8', block: '11', app: '0' },
      id: hex20(`node ${chainId}`),
      listen_addr: url,
      network: chainId,
      version: COMET_VERSION,
      channels: '40202122233038606100',
      moniker: 'simulated',
      other: { tx_index: 'on', rpc_address: url },
    },
    sync_info: {
      latest_block_hash: hex32(`block ${height}`),
      latest_app_hash: hex32(`app ${height}`),
      latest_block_height: String(height),
      latest_block_time: blockTime.toISOString(),
      catching_up: false,
    },
    validator_info: {
      address: hex20(`validator ${chainId}`),
      pub_key: { type: 'tendermint/PubKeyEd25519', value: b64(Buffer.alloc(32, 7)) },
      voting_power: '10',
    },
  };
}

type Params = Record<string, unknown>;

/** Options of {@link startChainRpc}. */
export interface ChainRpcOptions {
  chainId?: string;
  prefix?: string;
  /** The TCP port on 127.0.0.1; 0 (the default) takes any free one. */
  port?: number;
  /** Called after a simulated relay or timeout changed the chain's state (e.g. to save the chain). */
  onChange?: () => Promise<void> | void;
}

/** `{port, channel, sequence}` of the simulated relayer methods, or a JSON-RPC invalid-params error. */
function packetParams(params: Params): { port: string; channel: string; sequence: number } {
  const { port, channel } = params;
  const sequence = Number(params.sequence);
  if (
    typeof port !== 'string' ||
    typeof channel !== 'string' ||
    !Number.isSafeInteger(sequence) ||
    sequence < 1
  ) {
    throw {
      code: -32602,
      message: 'Invalid params: expected {port: string, channel: string, sequence: integer >= 1}',
      data: JSON.stringify(params),
    };
  }
  return { port, channel, sequence };
}

/** Runs a simulated relayer step; a refusal becomes a JSON-RPC error carrying the store's reason. */
async function relayerStep(step: () => Promise<void>, onChange: ChainRpcOptions['onChange']): Promise<void> {
  try {
    await step();
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    const code = error instanceof PacketTimedOutError ? PACKET_TIMED_OUT_CODE : PACKET_REFUSED_CODE;
    throw { code, message: text, data: text };
  }
  await onChange?.();
}

/** One JSON-RPC method: its result, or an error thrown as `{code, message}`. */
async function call(
  node: SimulatedNode,
  url: string,
  method: string,
  params: Params,
  opts: ChainRpcOptions,
): Promise<unknown> {
  switch (method) {
    case 'status':
      return status(node, url);
    case 'abci_query': {
      const answer = await node.query(String(params.path), Buffer.from(String(params.data ?? ''), 'hex'));
      return {
        response: {
          code: answer.code,
          log: answer.log,
          info: '',
          index: '0',
          key: null,
          value: answer.code === 0 ? b64(answer.value) : null,
          proofOps: null,
          height: String(node.ledger.height),
          codespace: answer.code === 0 ? '' : 'sdk',
        },
      };
    }
    case 'broadcast_tx_sync': {
      const { hash, check } = await node.broadcast(Buffer.from(String(params.tx), 'base64'));
      return { ...txResult(check), hash };
    }
    case 'tx': {
      const found = node.tx(Buffer.from(String(params.hash), 'base64').toString('hex'));
      if (!found) throw { code: -32603, message: 'Internal error', data: `tx (${params.hash}) not found` };
      return txJson(found);
    }
    case 'tx_search': {
      // CosmJS searches by hash only: tx.hash='<HEX>'.
      const hash = /tx\.hash\s*=\s*'([0-9A-Fa-f]+)'/.exec(String(params.query))?.[1];
      const found = hash ? node.tx(hash) : undefined;
      return { txs: found ? [txJson(found)] : [], total_count: found ? '1' : '0' };
    }
    // Simulated only: a relayer's MsgRecvPacket + MsgAcknowledgement, and its MsgTimeout (proofs are not modelled).
    case RELAY_PACKET_METHOD: {
      const { port, channel, sequence } = packetParams(params);
      await relayerStep(() => node.relayPacket(port, channel, sequence), opts.onChange);
      return { relayed: true };
    }
    case TIMEOUT_PACKET_METHOD: {
      const { port, channel, sequence } = packetParams(params);
      await relayerStep(() => node.timeoutPacket(port, channel, sequence), opts.onChange);
      return { timed_out: true };
    }
    default:
      throw {
        code: -32601,
        message: 'Method not found',
        data: `${method} is not served by the simulated node`,
      };
  }
}

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A CometBFT JSON-RPC endpoint (HTTP POST) over a {@link SimulatedChain}, so CosmJS, and the bundles that use it,
 * talk to the embedded chain as to a real node: status, abci_query, broadcast_tx_sync, tx and tx_search; and two
 * simulated-only methods standing in for a relayer's transactions on the chain's one IBC channel,
 * `simulated_relay_packet` and `simulated_timeout_packet` (params `{port, channel, sequence}`; results
 * `{relayed: true}` and `{timed_out: true}`, or an error with the reason, e.g. the packet has timed out).
 */
export async function startChainRpc(chain: SimulatedChain, opts: ChainRpcOptions = {}): Promise<ChainRpc> {
  const node = new SimulatedNode(chain, opts.chainId ?? 'simulated-1', opts.prefix ?? 'wasm');
  let url = '';
  const server = createServer(async (req, res) => {
    let id: unknown = -1;
    let reply: Record<string, unknown>;
    try {
      const request = JSON.parse(await body(req)) as { id?: unknown; method?: string; params?: Params };
      id = request.id ?? -1;
      reply = { result: await call(node, url, String(request.method), request.params ?? {}, opts) };
    } catch (error) {
      const known =
        typeof error === 'object' && error !== null && 'code' in error && !(error instanceof Error);
      reply = {
        error: known ? error : { code: -32603, message: 'Internal error', data: String(error) },
      };
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ jsonrpc: '2.0', id, ...reply }));
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', fail);
      ok();
    });
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    node,
    stop: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
