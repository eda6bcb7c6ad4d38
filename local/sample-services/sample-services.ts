import { spawn } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ReplicaFault } from './sample-replica.ts';
import { servicesLayout, targetsOf } from './services-layout.ts';

export interface SampleServicesOptions {
  /** Where the replicas' state and the process's log are kept. */
  readonly dir: string;
  /** The control endpoint's port; replicas on the ports after it (see services-layout.ts). */
  readonly basePort: number;
  /** `<service>:<replicas>,...` */
  readonly services: string;
  readonly version?: string;
  readonly restartMs?: number;
  /** The file naming the chain's RPC endpoint: the relayer's replicas relay IBC packets through it. */
  readonly chainRpcUrlFile?: string;
}

interface Listing {
  dir: string;
  pid: number;
  replicas: { service: string; name: string; key: string; version: string; deploys: unknown[] }[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function listing(basePort: number): Promise<Listing | null> {
  try {
    const res = await fetch(`http://127.0.0.1:${basePort}/replicas`, { signal: AbortSignal.timeout(1000) });
    return res.ok ? ((await res.json()) as Listing) : null;
  } catch {
    return null;
  }
}

/**
 * The sample services as a process of their own: adopted when one already answers on the base port for the same
 * data folder (a control plane restarted after kill -9 finds its services still running, as a real system would),
 * otherwise started detached (its own process group, its output in <dir>/services.log), so it outlives its
 * starter. `stop()` ends it; `adopted` says whether this caller started it.
 */
export async function startSampleServices(opts: SampleServicesOptions) {
  const dir = resolve(opts.dir);
  const layout = servicesLayout(opts.services, opts.basePort);
  const base = `http://127.0.0.1:${opts.basePort}`;
  const running = await listing(opts.basePort);
  if (running && running.dir !== dir)
    throw new Error(
      `port ${opts.basePort} serves the sample services of ${running.dir}, not ${dir}: set SAMPLE_SERVICES_PORT`,
    );
  let pid = running?.pid ?? 0;
  if (!running) {
    mkdirSync(dir, { recursive: true });
    const log = openSync(join(dir, 'services.log'), 'a');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'services-process.ts')],
      {
        cwd: resolve(import.meta.dirname, '../..'),
        detached: true,
        stdio: ['ignore', log, log],
        env: {
          ...process.env,
          SAMPLE_SERVICES_DIR: dir,
          SAMPLE_SERVICES_PORT: String(opts.basePort),
          SAMPLE_SERVICES: opts.services,
          INITIAL_VERSION: opts.version ?? '1.0.0',
          SAMPLE_RESTART_MS: String(opts.restartMs ?? 300),
          ...(opts.chainRpcUrlFile ? { CHAIN_RPC_URL_FILE: opts.chainRpcUrlFile } : {}),
        },
      },
    );
    child.unref();
    pid = child.pid ?? 0;
    for (let i = 0; !(await listing(opts.basePort)); i++) {
      if (i > 150 || child.exitCode !== null)
        throw new Error(`the sample services did not start (see ${join(dir, 'services.log')})`);
      await sleep(100);
    }
  }
  const post = (path: string, body: unknown) =>
    fetch(`${base}${path}`, { method: 'POST', body: JSON.stringify(body) }).then((r) => r.json());
  return {
    adopted: running !== null,
    pid,
    targets: targetsOf(layout),
    /** Each replica's version, by `<service>/<replica>`. */
    versions: async () =>
      Object.fromEntries(((await listing(opts.basePort))?.replicas ?? []).map((r) => [r.key, r.version])),
    setFault: (key: string, fault: ReplicaFault | null) => post('/faults', { [key]: fault }),
    /** Puts a replica on a version without a deploy (restarted on another image, say). */
    setVersion: (key: string, version: string) => post('/versions', { [key]: version }),
    stop: async () => {
      await post('/stop', {}).catch(() => null);
      for (let i = 0; i < 50 && (await listing(opts.basePort)); i++) await sleep(100);
    },
    kill: () => {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // gone already
      }
    },
  };
}
