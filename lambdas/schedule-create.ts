import { httpHandler } from './http/http-handler.ts';
import { proposalRuntime } from './http/proposal-runtime.ts';
import { runtime } from './http/runtime.ts';
import { ScheduleCreateBody } from './http/schemas.ts';

/**
 * POST /admin/upgrade/schedules {name, schedule: at(...)|cron(...), upgrade: UpgradeConfig | proposal_id}: inside a
 * maintenance window only; with approvals on, only an approved proposal (or a dry run).
 */
export const handler = httpHandler(
  { access: 'admin', body: ScheduleCreateBody },
  async ({ body, caller }) => {
    const request = await proposalRuntime().scheduled.scheduleRequest(body);
    const created = await runtime().schedules.create(caller, body.name, body.schedule, request);
    return { status: 201, body: created };
  },
);
