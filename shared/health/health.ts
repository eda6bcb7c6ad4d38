import { guardedRequest } from '../net/guarded-request.ts';
import { describeUrl } from '../net/outbound-url.ts';

/** The seeds' health states. */
export type HealthStatus = 'Healthy' | 'Degraded' | 'Unhealthy';

export interface HealthResult {
  readonly name: string;
  readonly status: HealthStatus;
  readonly reason: string | null;
  readonly latency_ms: number;
}

/** One named check of a component the upgrade depends on. */
export interface HealthCheck {
  readonly name: string;
  check(signal: AbortSignal): Promise<{ status: HealthStatus; reason?: string | null }>;
}

/** Runs every check in parallel, each bounded by `timeoutSecs`; a check that throws or times out is Unhealthy. */
export async function runChecks(
  checks: readonly HealthCheck[],
  timeoutSecs: number,
): Promise<HealthResult[]> {
  return Promise.all(
    checks.map(async (c) => {
      const started = Date.now();
      const signal = AbortSignal.timeout(timeoutSecs * 1000);
      try {
        const timedOut = new Promise<never>((_, reject) =>
          signal.addEventListener('abort', () => reject(new Error(`timed out after ${timeoutSecs} s`)), {
            once: true,
          }),
        );
        const out = await Promise.race([c.check(signal), timedOut]);
        return {
          name: c.name,
          status: out.status,
          reason: out.reason ?? null,
          latency_ms: Date.now() - started,
        };
      } catch (err) {
        return {
          name: c.name,
          status: 'Unhealthy' as const,
          reason: (err as Error).message,
          latency_ms: Date.now() - started,
        };
      }
    }),
  );
}

/** An HTTP endpoint of a service: 2xx is Healthy unless its JSON says `status: Degraded|Unhealthy`; 5xx is Unhealthy. */
export function httpCheck(name: string, url: string): HealthCheck {
  return {
    name,
    async check(signal) {
      const res = await guardedRequest(url, { signal, timeoutMs: 300_000 });
      const text = res.text;
      const shown = describeUrl(url);
      if (res.status >= 500) return { status: 'Unhealthy', reason: `${shown} answered ${res.status}` };
      if (res.status >= 300) return { status: 'Degraded', reason: `${shown} answered ${res.status}` };
      let declared: unknown;
      try {
        declared = (JSON.parse(text) as { status?: unknown }).status;
      } catch {
        declared = undefined;
      }
      if (declared === 'Unhealthy' || declared === 'Degraded')
        return { status: declared, reason: `${shown} reports ${declared}` };
      return { status: 'Healthy' };
    },
  };
}

/** Wraps a probe (a read of the store, a HEAD of the bucket) as a check: Healthy when it resolves. */
export function probeCheck(name: string, probe: () => Promise<unknown>): HealthCheck {
  return {
    name,
    async check() {
      await probe();
      return { status: 'Healthy' };
    },
  };
}
