import { createServer, type Server } from 'node:http';
import type { ReplicaTarget } from '../shared/upgrade/deploy-spec.ts';
import { freePort } from './engines/free-port.ts';

export interface SampleBackendOptions {
  readonly replicas: number;
  readonly version: string;
  /** How long a replica "restarts" after a deploy (unhealthy meanwhile). */
  readonly restartMs?: number;
  /** Misbehaviour for tests and the demo, per replica name (replica-1, replica-2, ...). */
  readonly faults?: Record<
    string,
    'unhealthy_after_deploy' | 'wrong_version' | 'hang_deploy' | 'degrades_after_deploy' | 'hang_rollback'
  >;
  /** `degrades_after_deploy`: healthy on the new version for this long, then Unhealthy (a bad release). */
  readonly degradeAfterMs?: number;
}

interface Replica {
  name: string;
  version: string;
  restarting: boolean;
  deploys: { version: string; at: number }[];
  server: Server;
  port: number;
}

/**
 * A sample backend of the embedded runtime: replicas as local HTTP servers, each serving GET /health,
 * GET /version and POST /deploy {version}, which restarts the replica on that version after a short delay.
 */
export async function startSampleBackend(opts: SampleBackendOptions) {
  const replicas: Replica[] = [];
  for (let i = 1; i <= opts.replicas; i++) {
    const name = `replica-${i}`;
    const fault = opts.faults?.[name];
    const r: Replica = {
      name,
      version: opts.version,
      restarting: false,
      deploys: [],
      server: createServer(),
      port: await freePort(),
    };
    r.server.on('request', (req, res) => {
      const json = (status: number, body: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (req.method === 'GET' && req.url === '/health') {
        const onNew = r.version !== opts.version;
        const since = Date.now() - (r.deploys.at(-1)?.at ?? 0);
        const broken =
          (fault === 'unhealthy_after_deploy' && onNew) ||
          (fault === 'degrades_after_deploy' && onNew && since > (opts.degradeAfterMs ?? 5000));
        const status = r.restarting || broken ? 'Unhealthy' : 'Healthy';
        return json(status === 'Healthy' ? 200 : 503, { status });
      }
      if (req.method === 'GET' && req.url === '/version') {
        return json(200, {
          version: fault === 'wrong_version' && r.version !== opts.version ? `${r.version}-rc` : r.version,
        });
      }
      if (req.method === 'POST' && req.url === '/deploy') {
        let body = '';
        req.on('data', (c: Buffer) => {
          body += c.toString();
        });
        req.on('end', () => {
          const version = (JSON.parse(body || '{}') as { version?: string }).version;
          if (!version) return json(400, { error: 'version required' });
          if (fault === 'hang_deploy') return; // never answers
          if (fault === 'hang_rollback' && version === opts.version) return; // a deploy back never answers
          r.deploys.push({ version, at: Date.now() });
          r.restarting = true;
          setTimeout(() => {
            r.version = version;
            r.restarting = false;
          }, opts.restartMs ?? 300).unref();
          json(202, { deploying: version });
        });
        return;
      }
      json(404, { error: 'not found' });
    });
    await new Promise<void>((ok) => r.server.listen(r.port, '127.0.0.1', () => ok()));
    replicas.push(r);
  }
  const targets: ReplicaTarget[] = replicas.map((r) => ({
    name: r.name,
    deploy_url: `http://127.0.0.1:${r.port}/deploy`,
    health_url: `http://127.0.0.1:${r.port}/health`,
    version_url: `http://127.0.0.1:${r.port}/version`,
  }));
  return {
    targets,
    versions: () => Object.fromEntries(replicas.map((r) => [r.name, r.version])),
    deploys: () => Object.fromEntries(replicas.map((r) => [r.name, [...r.deploys]])),
    stop: () =>
      Promise.all(
        replicas.map(
          (r) =>
            new Promise<void>((ok) => {
              r.server.closeAllConnections();
              r.server.close(() => ok());
            }),
        ),
      ),
  };
}
