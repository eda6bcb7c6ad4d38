import { VERSION_PATTERN } from '../../domain/inflight.ts';
import type { HealthStatus } from '../../health/health.ts';
import { safeExcerpt } from '../../net/excerpt.ts';
import { guardedRequest, OutboundError } from '../../net/guarded-request.ts';
import { describeUrl } from '../../net/outbound-url.ts';
import type { ReplicaTarget } from '../deploy-spec.ts';

/** How the control plane talks to a replica's deploy hook, health and version endpoints. */
export interface ReplicaClient {
  /** Asks the replica to deploy `version`; throws when the hook refuses or does not answer. */
  deploy(target: ReplicaTarget, version: string): Promise<void>;
  health(target: ReplicaTarget): Promise<HealthStatus>;
  /** The version the replica reports running. */
  version(target: ReplicaTarget): Promise<string>;
  /** A rolling release: stop it taking new intents (drain_url), or let it take them again (resume_url). */
  signal(target: ReplicaTarget, which: 'drain' | 'resume'): Promise<void>;
}

/** What a version URL said: a version as is, anything else only as a short sanitised excerpt. */
const asVersion = (text: string) => {
  const v = text.trim();
  return VERSION_PATTERN.test(v) ? v : safeExcerpt(v, 64);
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The HTTP protocol of deploy hooks: `POST deploy_url {"version"}` (2xx accepted), `GET health_url` (2xx and, if
 * JSON, `status` not Degraded/Unhealthy), `GET version_url` (JSON `{"version"}` or the version as text). Every call
 * has its own timeout and is retried a bounded number of times.
 */
export function httpReplicaClient(opts: { requestTimeoutSecs: number; retries: number }): ReplicaClient {
  const call = async (
    url: string,
    init: { method?: string; headers?: Record<string, string>; body?: string } = {},
  ): Promise<{ status: number; text: string }> => {
    let last: unknown;
    for (let attempt = 0; attempt <= opts.retries; attempt++) {
      try {
        const res = await guardedRequest(url, { ...init, timeoutMs: opts.requestTimeoutSecs * 1000 });
        if (res.status >= 500 && attempt < opts.retries) {
          last = new Error(`${describeUrl(url)} answered ${res.status}`);
        } else {
          return res;
        }
      } catch (err) {
        last = err;
        // A refused address or a redirect will not change on a retry.
        if (err instanceof OutboundError && /refused|redirect|never allowed|not allowed/.test(err.message))
          break;
      }
      if (attempt < opts.retries) await sleep(200 * 2 ** attempt);
    }
    throw last instanceof Error ? last : new Error(String(last));
  };
  return {
    async deploy(target, version) {
      const res = await call(target.deploy_url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ version }),
      });
      if (res.status >= 300)
        throw new Error(
          `deploy hook ${describeUrl(target.deploy_url)} answered ${res.status}: ${safeExcerpt(res.text)}`,
        );
    },
    async signal(target, which) {
      const url = which === 'drain' ? target.drain_url : target.resume_url;
      if (!url) throw new Error(`replica ${target.name} has no ${which}_url`);
      const res = await call(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      if (res.status >= 300)
        throw new Error(`${which} hook ${describeUrl(url)} answered ${res.status}: ${safeExcerpt(res.text)}`);
    },
    async health(target) {
      const res = await call(target.health_url);
      if (res.status >= 500) return 'Unhealthy';
      if (res.status >= 300) return 'Degraded';
      try {
        const status = (JSON.parse(res.text) as { status?: unknown }).status;
        if (status === 'Unhealthy' || status === 'Degraded') return status;
      } catch {
        // not JSON: a 2xx is enough
      }
      return 'Healthy';
    },
    async version(target) {
      const res = await call(target.version_url);
      if (res.status >= 300) throw new Error(`${describeUrl(target.version_url)} answered ${res.status}`);
      try {
        const v = (JSON.parse(res.text) as { version?: unknown }).version;
        if (typeof v === 'string') return asVersion(v);
      } catch {
        // plain text
      }
      return asVersion(res.text);
    },
  };
}
