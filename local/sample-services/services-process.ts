import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { startRelayerReplicas } from './relayer-replicas.ts';
import {
  freshState,
  type ReplicaFault,
  type ReplicaState,
  replicaHandler,
  settle,
} from './sample-replica.ts';
import { type ServicesLayout, servicesLayout } from './services-layout.ts';

/**
 * The sample services of the embedded stack as a process of their own (started by client.ts): each replica an
 * HTTP server on a fixed port, its state (version, first version, deploys, a restart under way) saved in the data
 * folder after every change, so the services outlive the control plane, and a restart of this process keeps each
 * replica's version. The base port answers the control endpoint: GET /replicas (who is where), POST /faults
 * {"<service>/<replica>": fault | null}, POST /versions {"<service>/<replica>": version} (a replica put on a
 * version without a deploy: restarted on an old image, say), POST /stop.
 *
 * Settings (environment): SAMPLE_SERVICES_DIR, SAMPLE_SERVICES_PORT (the base port), SAMPLE_SERVICES
 * ("orchestrator:2,relayer:1"), INITIAL_VERSION, SAMPLE_RESTART_MS, CHAIN_RPC_URL_FILE (relayer replicas relay IBC packets).
 */
const dir = process.env.SAMPLE_SERVICES_DIR ?? '.data/services';
const layout: ServicesLayout = servicesLayout(
  process.env.SAMPLE_SERVICES ?? 'orchestrator:2,relayer:2,settlement-service:2',
  Number(process.env.SAMPLE_SERVICES_PORT ?? 7400),
);
const initial = process.env.INITIAL_VERSION ?? '1.0.0';
const restartMs = Number(process.env.SAMPLE_RESTART_MS ?? 300);
mkdirSync(dir, { recursive: true });
const stateFile = join(dir, 'replicas.json');
const faultsFile = join(dir, 'faults.json');

const load = <T>(file: string, fallback: T): T =>
  existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as T) : fallback;
const save = (file: string, value: unknown) => {
  writeFileSync(`${file}.tmp`, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
};

const states: Record<string, ReplicaState> = load(stateFile, {});
const faults: Record<string, ReplicaFault | null> = load(faultsFile, {});
for (const r of layout.replicas) states[r.key] ??= freshState(initial);
const persist = () => save(stateFile, states);
persist();

const servers: Server[] = [];
for (const r of layout.replicas) {
  const state = states[r.key] as ReplicaState;
  const server = createServer(
    replicaHandler(state, () => faults[r.key] ?? undefined, { restartMs }, persist),
  );
  await new Promise<void>((ok) => server.listen(r.port, '127.0.0.1', () => ok()));
  servers.push(server);
}

// The relayer's replicas relay the embedded chain's IBC packets while they run (CHAIN_RPC_URL_FILE names its RPC).
const relayers = process.env.CHAIN_RPC_URL_FILE
  ? startRelayerReplicas(
      process.env.CHAIN_RPC_URL_FILE,
      layout.replicas.filter((r) => r.service === 'relayer'),
      (key) => states[key] as ReplicaState,
      (key) => faults[key] ?? undefined,
    )
  : null;

const body = (req: import('node:http').IncomingMessage) =>
  new Promise<Record<string, string | null>>((ok) => {
    let text = '';
    req.on('data', (c: Buffer) => {
      text += c.toString();
    });
    req.on('end', () => ok(JSON.parse(text || '{}')));
  });
const control = createServer(async (req, res) => {
  const json = (status: number, value: unknown) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
  if (req.method === 'GET' && req.url === '/replicas')
    return json(200, {
      dir,
      pid: process.pid,
      replicas: layout.replicas.map((r) => ({
        ...r,
        version: settle(states[r.key] as ReplicaState).version,
        deploys: (states[r.key] as ReplicaState).deploys,
        fault: faults[r.key] ?? null,
      })),
    });
  if (req.method === 'POST' && req.url === '/faults') {
    Object.assign(faults, await body(req));
    save(faultsFile, faults);
    return json(200, faults);
  }
  if (req.method === 'POST' && req.url === '/versions') {
    for (const [key, version] of Object.entries(await body(req))) {
      const state = states[key];
      if (state && version) Object.assign(state, { version, restartingTo: null, restartingUntil: 0 });
    }
    persist();
    return json(200, { ok: true });
  }
  if (req.method === 'POST' && req.url === '/stop') {
    json(200, { stopping: true });
    return stop();
  }
  json(404, { error: 'not found' });
});
await new Promise<void>((ok) => control.listen(layout.basePort, '127.0.0.1', () => ok()));

function stop() {
  void relayers?.stop();
  for (const s of [...servers, control]) {
    s.closeAllConnections();
    s.close();
  }
  setTimeout(() => process.exit(0), 50).unref();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
console.log(`READY ${layout.basePort}`);
