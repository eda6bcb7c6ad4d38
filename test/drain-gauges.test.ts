import { afterEach, describe, expect, it, vi } from 'vitest';
import { environmentOf } from '../lambdas/compose/environment.ts';
import { handler } from '../lambdas/drain-gauges.ts';
import { admin, freshControlPlane, freshEnv } from './support/control-plane.ts';

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

/** The gauges the per-minute emitter writes to stdout as CloudWatch EMF, by metric name. */
function captureGauges(): Record<string, number> {
  const gauges: Record<string, number> = {};
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    for (const line of String(chunk).split('\n')) {
      if (!line.includes('"_aws"')) continue;
      Object.assign(gauges, JSON.parse(line) as Record<string, number>);
    }
    return true;
  });
  return gauges;
}

describe('the per-minute drain gauges', () => {
  it('emit the inflight count and the deadline flag of a drain nobody polls', async () => {
    const env = freshEnv();
    const { cp, config } = await freshControlPlane({ TABLE_PREFIX: env.TABLE_PREFIX as string });
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
    await cp.inflight.register({ id: 'stuck-1' });
    await cp.inflight.register({ id: 'stuck-2', user_funds_locked: true });
    await cp.drain.startDrain(admin, 'nobody watches', 1);
    await new Promise((r) => setTimeout(r, 1100));
    const gauges = captureGauges();
    const out = await handler.withEnvironment(environmentOf(config))();
    expect(out).toEqual({ mode: 'Draining', inflight_count: 2 });
    expect(gauges).toMatchObject({ InflightCount: 2, DrainMode: 1, DrainDeadlineExceeded: 1 });
  });
});
