import { createServer, type Server } from 'node:http';
import type { ReplicaTarget } from '../shared/upgrade/deploy-spec.ts';
import { freePort } from './engines/free-port.ts';
import { startRelayLoop } from './sample-services/sample-relayer.ts';
import {
  freshState,
  isRelaying,
  type ReplicaFault,
  type ReplicaState,
  replicaHandler,
  settle,
} from './sample-services/sample-replica.ts';

export interface SampleBackendOptions {
  readonly replicas: number;
  readonly version: string;
  /** How long a replica "restarts" after a deploy (unhealthy meanwhile). */
  readonly restartMs?: number;
  /** Misbehaviour for tests and the demo, per replica name (replica-1, replica-2, ...). */
  readonly faults?: Record<string, ReplicaFault>;
  /** `degrades_after_deploy`: healthy on the new version for this long, then Unhealthy (a bad release). */
  readonly degradeAfterMs?: number;
  /** A relayer: each replica relays the chain's IBC packets (through this RPC endpoint) while it runs. */
  readonly relay?: { readonly rpcUrl: string; readonly intervalMs?: number };
}

interface Replica {
  name: string;
  state: ReplicaState;
  server: Server;
  port: number;
}

/**
 * A sample backend in this process, in memory (the tests' replicas): replicas as local HTTP servers speaking the
 * deploy-hook protocol of local/sample-services/sample-replica.ts. `npm start` runs its sample services as a
 * process of their own instead (local/sample-services/), with fixed ports and their state on disk.
 */
export async function startSampleBackend(opts: SampleBackendOptions) {
  const replicas: Replica[] = [];
  const loops: { stop(): void | Promise<void> }[] = [];
  for (let i = 1; i <= opts.replicas; i++) {
    const name = `replica-${i}`;
    const r: Replica = {
      name,
      state: freshState(opts.version),
      server: createServer(),
      port: await freePort(),
    };
    r.server.on(
      'request',
      replicaHandler(r.state, () => opts.faults?.[name], opts),
    );
    await new Promise<void>((ok) => r.server.listen(r.port, '127.0.0.1', () => ok()));
    replicas.push(r);
    if (opts.relay)
      loops.push(
        startRelayLoop({
          rpcUrl: opts.relay.rpcUrl,
          intervalMs: opts.relay.intervalMs ?? 200,
          relaying: () => isRelaying(r.state, opts.faults?.[name]),
        }),
      );
  }
  const targets: ReplicaTarget[] = replicas.map((r) => ({
    name: r.name,
    deploy_url: `http://127.0.0.1:${r.port}/deploy`,
    drain_url: `http://127.0.0.1:${r.port}/drain`,
    resume_url: `http://127.0.0.1:${r.port}/resume`,
    health_url: `http://127.0.0.1:${r.port}/health`,
    version_url: `http://127.0.0.1:${r.port}/version`,
  }));
  return {
    targets,
    /** The load balancer's view: the replicas taking new intents now (not drained, not restarting). */
    accepting: () =>
      replicas.filter((r) => !r.state.draining && settle(r.state).restartingTo === null).map((r) => r.name),
    versions: () => Object.fromEntries(replicas.map((r) => [r.name, settle(r.state).version])),
    deploys: () => Object.fromEntries(replicas.map((r) => [r.name, [...r.state.deploys]])),
    stop: async () => {
      await Promise.all(loops.map((l) => l.stop()));
      await Promise.all(
        replicas.map(
          (r) =>
            new Promise<void>((ok) => {
              r.server.closeAllConnections();
              r.server.close(() => ok());
            }),
        ),
      );
    },
  };
}
