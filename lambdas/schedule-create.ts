import { proposalServices } from './compose/proposal-services.ts';
import { httpHandler } from './http/http-handler.ts';
import { ScheduleCreateBody } from './http/schemas.ts';
import { scheduleCreate } from './routes.ts';

/**
 * POST /admin/upgrade/schedules {name, schedule: at(...)|cron(...), upgrade: UpgradeConfig | proposal_id}: inside a
 * maintenance window only; with approvals on, only an approved proposal (or a dry run).
 */
export const handler = httpHandler(
  scheduleCreate,
  { body: ScheduleCreateBody, services: proposalServices },
  async ({ body, caller, services }) => {
    const request = await services.scheduled.scheduleRequest(body);
    const created = await services.schedules.create(caller, body.name, body.schedule, request);
    return { status: 201, body: created };
  },
);
