import type { ReplicaTarget } from '../../shared/upgrade/deploy-spec.ts';

/** One replica of a sample service: where it listens. */
export interface ReplicaPlace {
  readonly service: string;
  readonly name: string;
  /** `<service>/<name>`: how the control endpoint and the state file name it. */
  readonly key: string;
  readonly port: number;
}

export interface ServicesLayout {
  readonly basePort: number;
  readonly replicas: readonly ReplicaPlace[];
}

/**
 * Fixed ports from a base port: the control endpoint on the base, then each replica in order (orchestrator-1 on
 * base + 1, and so on), so a restarted process, and the control plane's records, find every replica where it was.
 */
export function servicesLayout(spec: string, basePort: number): ServicesLayout {
  const replicas: ReplicaPlace[] = [];
  for (const part of spec.split(',').filter(Boolean)) {
    const [service, count] = part.split(':');
    if (!service || !/^[A-Za-z0-9._-]{1,64}$/.test(service) || !(Number(count) >= 1))
      throw new Error(`SAMPLE_SERVICES: "${part}" is not <service>:<replicas>`);
    for (let i = 1; i <= Number(count); i++)
      replicas.push({
        service,
        name: `${service}-${i}`,
        key: `${service}/${service}-${i}`,
        port: basePort + replicas.length + 1,
      });
  }
  return { basePort, replicas };
}

/** Each service's deploy-hook targets, as an upgrade's `services` section takes them. */
export function targetsOf(layout: ServicesLayout): Record<string, ReplicaTarget[]> {
  const out: Record<string, ReplicaTarget[]> = {};
  for (const r of layout.replicas) {
    const url = `http://127.0.0.1:${r.port}`;
    const list = out[r.service] ?? [];
    out[r.service] = list;
    list.push({
      name: r.name,
      deploy_url: `${url}/deploy`,
      drain_url: `${url}/drain`,
      resume_url: `${url}/resume`,
      health_url: `${url}/health`,
      version_url: `${url}/version`,
    });
  }
  return out;
}
