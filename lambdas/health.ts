import { type AdminServices, adminServices } from './compose/admin-services.ts';
import { httpHandler } from './http/http-handler.ts';
import { health } from './routes.ts';

/** /health answers within this, whatever its store does: a check that has not answered by then is Unhealthy. */
export const HEALTH_DEADLINE_MS = 3_000;

/** `work`, or a rejection once `ms` have passed (the work itself is left to its own timeouts). */
function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${HEALTH_DEADLINE_MS} ms`)), Math.max(0, ms));
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** The upgrade holding the lock, as it really stands (interrupted, recovering, resumed), or null. */
async function upgradeNow(
  services: AdminServices,
): Promise<{ upgrade_id: string; state: string; next: string | null } | null> {
  const { reads, cp } = services;
  const holder = await cp.upgrade.upgrades.lockHolder();
  const record = holder ? await cp.upgrade.upgrades.get(holder) : null;
  if (!record) return null;
  const live = await reads.liveness(record);
  return { upgrade_id: record.id, state: live.state, next: live.next };
}

/**
 * GET /health: whether the control plane can reach its state store, and the upgrade under way if any (Degraded
 * while one is interrupted: it is fenced until recovery ends it); public, no secrets in the answer.
 */
export const handler = httpHandler(health, { services: adminServices }, async ({ services }) => {
  const started = Date.now();
  try {
    const mode = await within(HEALTH_DEADLINE_MS, services.cp.fence.readMode());
    const check = { name: 'dynamodb', status: 'Healthy', latency_ms: Date.now() - started };
    const upgrade = await within(HEALTH_DEADLINE_MS - (Date.now() - started), upgradeNow(services)).catch(
      () => null,
    );
    const stuck = upgrade?.state === 'interrupted';
    const status = stuck ? 'Degraded' : 'Healthy';
    return {
      status: 200,
      body: { status, mode: mode.mode, version: mode.version, checks: [check], upgrade },
    };
  } catch (err) {
    const check = { name: 'dynamodb', status: 'Unhealthy', reason: (err as Error).message };
    return { status: 503, body: { status: 'Unhealthy', checks: [check] } };
  }
});
