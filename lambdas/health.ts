import { httpHandler } from './http/http-handler.ts';

/** GET /health: whether the control plane can reach its state store; public, no secrets in the answer. */
export const handler = httpHandler({ access: 'public' }, async ({ cp }) => {
  const started = Date.now();
  try {
    const mode = await cp.fence.readMode();
    const check = { name: 'dynamodb', status: 'Healthy', latency_ms: Date.now() - started };
    return {
      status: 200,
      body: { status: 'Healthy', mode: mode.mode, version: mode.version, checks: [check] },
    };
  } catch (err) {
    const check = { name: 'dynamodb', status: 'Unhealthy', reason: (err as Error).message };
    return { status: 503, body: { status: 'Unhealthy', checks: [check] } };
  }
});
