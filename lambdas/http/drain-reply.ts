import type { DrainReply } from '../../shared/upgrade/drain-requests.ts';
import { emitDrainMetrics } from '../telemetry/drain-metrics.ts';
import type { HttpResult } from './responses.ts';

/**
 * A drain call's answer: 200 with the drain status when the drain service acted; 202 with it and `upgrade` (what
 * the running upgrade was asked to do, and how to follow it) when the call went to the upgrade.
 */
export function drainReply(reply: DrainReply): HttpResult {
  emitDrainMetrics(reply);
  return { status: reply.upgrade ? 202 : 200, body: reply };
}
