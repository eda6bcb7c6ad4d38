import { type ChainRpc, startChainRpc } from '../../local/engines/chain-rpc/rpc-server.ts';
import { startSampleBackend } from '../../local/sample-backend.ts';
import type { ReplicaFault } from '../../local/sample-services/sample-replica.ts';
import { CosmjsIbcReader } from '../../shared/adapters/chain/cosmjs-ibc-reader.ts';
import { SimulatedChain } from '../../shared/adapters/chain/simulated-chain.ts';
import { sentPacket } from '../../shared/chain/sent-packet.ts';
import type { IbcPacket } from '../../shared/domain/ibc-packet.ts';
import { escrowWasm, OTHER } from '../chain/fixtures.ts';
import { startTestApi, type TestApi } from '../support/api.ts';

/**
 * Seed 001's fourth failure, as a system to upgrade: the escrow contract releasing funds over IBC (a transfer on
 * channel-0, its packet's commitment on the simulated chain), a sample relayer (one replica) relaying through the
 * chain's RPC endpoint while it runs, and the control plane reading the packets through CosmJS on that endpoint.
 */
export interface IbcSystem {
  readonly chain: SimulatedChain;
  readonly rpc: ChainRpc;
  readonly relayer: Awaited<ReturnType<typeof startSampleBackend>>;
  readonly api: TestApi;
  /** Releases an escrow to a solver on the counterparty (a packet) and registers its intent with that packet. */
  sendPacket(id: string, timeoutSecs: number): Promise<IbcPacket>;
  stop(): Promise<void>;
}

export async function startIbcSystem(opts: { fault: ReplicaFault; restartMs?: number }): Promise<IbcSystem> {
  const chain = SimulatedChain.create();
  const admin = await chain.signerAddress();
  const code = await chain.upload(escrowWasm(1));
  const { address: escrow } = await chain.instantiate(code.codeId, { settlement_contract: admin }, 'escrow', {
    admin,
  });
  const rpc = await startChainRpc(chain);
  const relayer = await startSampleBackend({
    replicas: 1,
    version: '1.0.0',
    restartMs: opts.restartMs ?? 300,
    faults: { 'replica-1': opts.fault },
    relay: { rpcUrl: rpc.url, intervalMs: 100 },
  });
  const reader = new CosmjsIbcReader(rpc.url);
  const api = await startTestApi({}, undefined, { overrides: { chain: () => chain, ibc: () => reader } });
  return {
    chain,
    rpc,
    relayer,
    api,
    async sendPacket(id, timeoutSecs) {
      const lock = {
        id,
        user: admin,
        solver: OTHER.solver,
        user_amount: '1000',
        solver_bond: '250',
        timeout_seconds: 3600,
      };
      await chain.execute(escrow, { lock });
      const out = await chain.execute(escrow, {
        release: {
          id,
          ibc: { channel_id: 'channel-0', to_address: 'cosmos1solver', timeout_seconds: timeoutSecs },
        },
      });
      const sent = sentPacket(out.events);
      if (!sent) throw new Error(`release of ${id} sent no packet`);
      const packet: IbcPacket = { ...sent, destination_chain: 'counterparty-1' };
      const registered = await api.intent('POST', '/intents', { id: `intent-${id}`, ibc_packets: [packet] });
      if (registered.status !== 201) throw new Error(`intent-${id}: ${JSON.stringify(registered.body)}`);
      return packet;
    },
    async stop() {
      await api.stop();
      await relayer.stop();
      await rpc.stop();
    },
  };
}

/** An upgrade of the sample relayer alone: a 1 s drain forced through (the intents wait for their packets). */
export const relayerUpgrade = (sys: IbcSystem, extra: Record<string, unknown> = {}) => ({
  target_version: '2.0.0',
  reason: 'relayer 2.0.0',
  drain_timeout_secs: 1,
  force_after_timeout: true,
  ibc_verify_timeout_secs: 20,
  services: [
    {
      name: 'relayer',
      deploy: {
        mode: 'hooks',
        targets: sys.relayer.targets,
        replica_timeout_secs: 15,
        request_timeout_secs: 2,
        retries: 0,
      },
    },
  ],
  ...extra,
});
