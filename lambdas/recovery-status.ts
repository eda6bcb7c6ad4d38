import { recoveryStatus as readRecovery } from '../shared/upgrade/recovery-status.ts';
import { adminServices } from './compose/admin-services.ts';
import { RecoveryQuery } from './http/drain-schemas.ts';
import { httpHandler } from './http/http-handler.ts';
import { recoveryStatus } from './routes.ts';

/** GET /admin/recovery/status?limit=&cursor=: intents in recovery, and the control plane's own recovery if any. */
export const handler = httpHandler(
  recoveryStatus,
  { query: RecoveryQuery, services: adminServices },
  async ({ query, services }) => ({
    status: 200,
    body: await readRecovery(
      {
        inflight: services.cp.upgrade.inflight,
        reads: services.reads,
        upgrades: services.cp.upgrade.upgrades,
      },
      { limit: query.limit ?? 100, cursor: query.cursor },
      Date.now(),
    ),
  }),
);
