import type { Route } from './api/route-types.ts';

export type { AwsAccess, Route, RouteInput } from './api/route-types.ts';

const DRAIN = ['illegal_transition', 'concurrent_change', 'upgrade_owns_mode'];
const UPGRADE_START = [
  'upgrade_running',
  'protocol_rollout_active',
  'too_soon',
  'approval_required',
  'execution_exists',
  'not_initialised',
];

/**
 * The API table: every route as one entry, each exported by its name (its handler file, camel-cased) so a handler's
 * bundle holds its own entry only. The CDK app (API Gateway, IAM), the local gateway, the CLI's requests and
 * docs/api.md (npm run docs:api) read ROUTES. Adding a route: one entry here (and its name in ROUTES: a test holds
 * the two equal), its handler lambdas/<handler>.ts, and the service method it calls.
 */
// biome-ignore format: a table, one route a line
export const health: Route = { method: 'GET', resource: '/health', access: 'public', handler: 'health', summary: 'Status, mode, version and the upgrade under way (unsigned).', aws: { control: 'read', workflow: 'inspect' } },
  drainStart: Route = { method: 'POST', resource: '/admin/drain/start', access: 'admin', handler: 'drain-start', summary: 'Stop admitting intents; inflight ones go on.', input: { body: 'DrainStartBody' }, initialises: true, aws: { control: 'write', intents: 'read' }, errors: DRAIN },
  drainStatus: Route = { method: 'GET', resource: '/admin/drain/status', access: 'admin', handler: 'drain-status', summary: 'Mode, inflight count, oldest age, completions since the drain began.', initialises: true, aws: { control: 'write', intents: 'read' } },
  drainCancel: Route = { method: 'POST', resource: '/admin/drain/cancel', access: 'admin', handler: 'drain-cancel', summary: 'Abandon a drain and admit intents again on the running version; during an upgrade\'s drain, abort it (202).', input: { body: 'EmptyBody', bodyOptional: true }, initialises: true, aws: { control: 'write', intents: 'reopen', workflow: 'operate' }, errors: DRAIN },
  drainResume: Route = { method: 'POST', resource: '/admin/drain/resume', access: 'admin', handler: 'drain-resume', summary: 'Admit intents again, on `version` when given; while an upgrade waits for its operator, its go-ahead (202).', input: { body: 'DrainResumeBody', bodyOptional: true }, initialises: true, aws: { control: 'write', intents: 'reopen', workflow: 'signal' }, errors: [...DRAIN, 'not_waiting', 'version_mismatch'] },
  drainForce: Route = { method: 'POST', resource: '/admin/drain/force', access: 'admin', handler: 'drain-force', summary: 'Declare Drained with intents inflight (audited); during an upgrade\'s drain, through its force path (202).', input: { body: 'DrainForceBody', bodyOptional: true }, initialises: true, aws: { control: 'write', intents: 'read' }, errors: ['illegal_transition', 'concurrent_change', 'upgrade_owns_mode', 'locked_funds'] },
  inflightList: Route = { method: 'GET', resource: '/admin/inflight', access: 'admin', handler: 'inflight-list', summary: 'One page of inflight intents and the total inflight count.', input: { query: 'InflightQuery' }, aws: { control: 'read', intents: 'read' } },
  recoveryStatus: Route = { method: 'GET', resource: '/admin/recovery/status', access: 'admin', handler: 'recovery-status', summary: 'What is recovering: intents whose phase starts with Recover (paged), and an upgrade being recovered or rolled back, with its step and attempt.', input: { query: 'RecoveryQuery' }, aws: { control: 'read', intents: 'read', workflow: 'inspect' } },
  ibcPending: Route = { method: 'GET', resource: '/admin/ibc/pending', access: 'admin', handler: 'ibc-pending', summary: "Pending IBC packets over the inflight intents: channel, sequence, intent, age, time left to timeout; by channel, paged.", input: { query: 'IbcPendingQuery' }, aws: { control: 'read', intents: 'read' } },
  intentRegister: Route = { method: 'POST', resource: '/intents', access: 'intent', handler: 'intent-register', summary: 'Admit an intent (201), or 503 with Retry-After while not admitting.', input: { body: 'RegisterIntentBody' }, aws: { control: 'fence', intents: 'register' }, errors: ['not_admitting', 'not_initialised', 'duplicate_intent', 'unknown_version', 'upgrade_required'] },
  intentUpdate: Route = { method: 'PATCH', resource: '/intents/{id}', access: 'intent', handler: 'intent-update', summary: "Change an inflight intent's phase or lock flags (allowed during a drain).", input: { body: 'PatchIntentBody' }, aws: { intents: 'update' }, errors: ['not_found', 'upgrade_in_progress'] },
  intentComplete: Route = { method: 'POST', resource: '/intents/{id}/complete', access: 'intent', handler: 'intent-complete', summary: 'Complete an intent: it leaves the inflight set; its outcome counts for a bake.', input: { body: 'CompleteIntentBody', bodyOptional: true }, aws: { intents: 'complete', outcomes: true }, errors: ['not_found', 'upgrade_in_progress'] },
  upgradeStart: Route = { method: 'POST', resource: '/admin/upgrade/start', access: 'admin', handler: 'upgrade-start', summary: 'Start an upgrade: 202 with its id and execution.', input: { body: 'UpgradeStartBody' }, initialises: true, aws: { control: 'write', intents: 'read', workflow: 'start' }, errors: UPGRADE_START },
  upgradeStatus: Route = { method: 'GET', resource: '/admin/upgrade/status', access: 'admin', handler: 'upgrade-status', summary: 'The running (or latest) upgrade: state, step, drain, progress, checkpoint; `state: "none"` before any.', initialises: true, aws: { control: 'write', intents: 'read', workflow: 'inspect' } },
  // A lost execution's recovery runs as an execution of its own: abort itself never writes intents.
  upgradeAbort: Route = { method: 'POST', resource: '/admin/upgrade/abort', access: 'admin', handler: 'upgrade-abort', summary: 'Stop the running upgrade at its next safe point and resume the old version.', input: { body: 'EmptyBody', bodyOptional: true }, initialises: true, aws: { control: 'write', intents: 'read', workflow: 'operate' }, errors: ['no_upgrade_running'] },
  upgradeContinue: Route = { method: 'POST', resource: '/admin/upgrade/{id}/continue', access: 'admin', handler: 'upgrade-continue', summary: 'The backend is deployed (manual mode): go on to the post-checks.', input: { body: 'EmptyBody', bodyOptional: true }, aws: { control: 'write', workflow: 'signal' }, errors: ['not_found', 'not_waiting'] },
  upgradeConfirmMigration: Route = { method: 'POST', resource: '/admin/upgrade/{id}/confirm-migration', access: 'admin', handler: 'upgrade-confirm-migration', summary: 'The governance proposal migrated the contract: verify and go on.', input: { body: 'ConfirmMigrationBody' }, aws: { control: 'write', workflow: 'signal' }, errors: ['not_found', 'not_waiting'] },
  upgradePromote: Route = { method: 'POST', resource: '/admin/upgrade/{id}/promote', access: 'admin', handler: 'upgrade-promote', summary: 'End the bake early as a success (audited).', input: { body: 'EmptyBody', bodyOptional: true }, aws: { control: 'write' }, errors: ['not_found', 'not_baking'] },
  upgradesList: Route = { method: 'GET', resource: '/admin/upgrades', access: 'admin', handler: 'upgrades-list', summary: 'The upgrade history, newest first.', input: { query: 'ListQuery' }, aws: { control: 'read' } },
  upgradeGet: Route = { method: 'GET', resource: '/admin/upgrades/{id}', access: 'admin', handler: 'upgrade-get', summary: "An upgrade with every step and the execution's events.", aws: { control: 'read', workflow: 'inspect' }, errors: ['not_found'] },
  scheduleCreate: Route = { method: 'POST', resource: '/admin/upgrade/schedules', access: 'admin', handler: 'schedule-create', summary: 'Schedule an upgrade (at, cron or rate), from a config or an approved proposal.', input: { body: 'ScheduleCreateBody' }, aws: { control: 'write', scheduler: true }, errors: ['schedule_exists', 'not_approved', 'approval_required'] },
  schedulesList: Route = { method: 'GET', resource: '/admin/upgrade/schedules', access: 'admin', handler: 'schedules-list', summary: 'The scheduled upgrades.', aws: { control: 'read', scheduler: true } },
  scheduleDelete: Route = { method: 'DELETE', resource: '/admin/upgrade/schedules/{id}', access: 'admin', handler: 'schedule-delete', summary: 'Cancel a scheduled upgrade.', aws: { control: 'write', scheduler: true }, errors: ['not_found'] },
  proposalCreate: Route = { method: 'POST', resource: '/admin/proposals', access: 'admin', handler: 'proposal-create', summary: 'Propose an upgrade: 201 with its id, config_sha256 and what it needs.', input: { body: 'ProposalCreateBody' }, initialises: true, aws: { control: 'write', notify: true }, errors: ['approvals_off', 'proposal_exists', 'personal_identity_required'] },
  proposalsList: Route = { method: 'GET', resource: '/admin/proposals', access: 'admin', handler: 'proposals-list', summary: 'Proposals, newest first, each with its state and times.', input: { query: 'ProposalListQuery' }, aws: { control: 'read' } },
  proposalGet: Route = { method: 'GET', resource: '/admin/proposals/{id}', access: 'admin', handler: 'proposal-get', summary: 'A proposal: approvals, timelock, executable_at and its state.', aws: { control: 'read' }, errors: ['not_found'] },
  proposalApprove: Route = { method: 'POST', resource: '/admin/proposals/{id}/approve', access: 'admin', handler: 'proposal-approve', summary: 'Approve a proposal (one approval per identity).', input: { body: 'ProposalApproveBody' }, aws: { control: 'write', notify: true }, errors: ['not_found', 'proposal_busy', 'approvals_off', 'not_an_approver', 'self_approval', 'config_changed', 'not_active', 'personal_identity_required'] },
  proposalReject: Route = { method: 'POST', resource: '/admin/proposals/{id}/reject', access: 'admin', handler: 'proposal-reject', summary: "An approver's veto: the proposal can never execute.", input: { body: 'ProposalRejectBody' }, aws: { control: 'write', notify: true }, errors: ['not_found', 'proposal_busy', 'approvals_off', 'not_an_approver', 'not_active'] },
  proposalCancel: Route = { method: 'POST', resource: '/admin/proposals/{id}/cancel', access: 'admin', handler: 'proposal-cancel', summary: 'The proposer or an approver withdraws a proposal.', input: { body: 'ProposalCancelBody', bodyOptional: true }, aws: { control: 'write', notify: true }, errors: ['not_found', 'proposal_busy', 'approvals_off', 'not_active'] },
  // Starts the approved upgrade: what upgrade-start has, and the announcement.
  proposalExecute: Route = { method: 'POST', resource: '/admin/proposals/{id}/execute', access: 'admin', handler: 'proposal-execute', summary: 'Start the upgrade with exactly the approved config, once.', input: { body: 'EmptyBody', bodyOptional: true }, initialises: true, aws: { control: 'write', intents: 'read', workflow: 'start', notify: true }, errors: ['not_found', 'proposal_busy', 'approvals_off', 'not_approved', 'timelock_active', 'proposal_executed', 'upgrade_running', 'too_soon', 'approval_required', 'execution_exists', 'not_initialised'] },
  protocolRolloutStart: Route = { method: 'POST', resource: '/admin/protocol/rollouts', access: 'admin', handler: 'protocol-rollout-start', summary: "Start a protocol rollout (seed 001's Procedure 3): parallel, migration, deprecation (426), removal, on a schedule; no drain.", input: { body: 'RolloutStartBody' }, aws: { control: 'write', notify: true }, errors: ['upgrade_running'] },
  protocolRolloutsList: Route = { method: 'GET', resource: '/admin/protocol/rollouts', access: 'admin', handler: 'protocol-rollouts-list', summary: 'Protocol rollouts, newest first: phase, timers, conversion progress.', input: { query: 'ListQuery' }, aws: { control: 'read' } },
  protocolRolloutGet: Route = { method: 'GET', resource: '/admin/protocol/rollouts/{id}', access: 'admin', handler: 'protocol-rollout-get', summary: 'A protocol rollout: phase, timers, sunset, conversion progress, history and what happens next.', aws: { control: 'read' }, errors: ['not_found'] },
  protocolRolloutHold: Route = { method: 'POST', resource: '/admin/protocol/rollouts/{id}/hold', access: 'admin', handler: 'protocol-rollout-hold', summary: 'Hold a protocol rollout in its phase: its timer and its conversion wait (audited, announced).', input: { body: 'RolloutHoldBody' }, aws: { control: 'write', notify: true }, errors: ['not_found', 'rollout_held', 'rollout_finished', 'rollout_busy'] },
  protocolRolloutContinue: Route = { method: 'POST', resource: '/admin/protocol/rollouts/{id}/continue', access: 'admin', handler: 'protocol-rollout-continue', summary: 'Let a held protocol rollout go on; its phase timer is extended by the hold.', input: { body: 'EmptyBody', bodyOptional: true }, aws: { control: 'write', notify: true }, errors: ['not_found', 'rollout_not_held', 'rollout_finished', 'rollout_busy'] },
  protocolRolloutRollback: Route = { method: 'POST', resource: '/admin/protocol/rollouts/{id}/rollback', access: 'admin', handler: 'protocol-rollout-rollback', summary: 'Roll a protocol rollout back before removal: `from` admitted and stamped again, `to` intents converted back.', input: { body: 'RolloutRollbackBody' }, aws: { control: 'write', notify: true }, errors: ['not_found', 'rollout_not_reversible', 'rollout_finished', 'rollout_busy'] },
  checkpointsList: Route = { method: 'GET', resource: '/admin/checkpoints', access: 'admin', handler: 'checkpoints-list', summary: 'Checkpoints still within retention, newest first.', input: { query: 'ListQuery' }, aws: { control: 'read' } },
  checkpointGet: Route = { method: 'GET', resource: '/admin/checkpoints/{id}', access: 'admin', handler: 'checkpoint-get', summary: "A checkpoint's summary; with validate=true every hash and count rechecked.", input: { query: 'CheckpointQuery' }, aws: { control: 'read', checkpoints: 'read' }, errors: ['not_found'] };

/** Every route of the API, in the order API Gateway and docs/api.md list them. */
export const ROUTES: readonly Route[] = [
  health,
  drainStart,
  drainStatus,
  drainCancel,
  drainResume,
  drainForce,
  inflightList,
  ibcPending,
  recoveryStatus,
  intentRegister,
  intentUpdate,
  intentComplete,
  upgradeStart,
  upgradeStatus,
  upgradeAbort,
  upgradeContinue,
  upgradeConfirmMigration,
  upgradePromote,
  upgradesList,
  upgradeGet,
  scheduleCreate,
  schedulesList,
  scheduleDelete,
  proposalCreate,
  proposalsList,
  proposalGet,
  proposalApprove,
  proposalReject,
  proposalCancel,
  proposalExecute,
  protocolRolloutStart,
  protocolRolloutsList,
  protocolRolloutGet,
  protocolRolloutHold,
  protocolRolloutContinue,
  protocolRolloutRollback,
  checkpointsList,
  checkpointGet,
];

/** The route of a handler file (its name), or an error naming the known ones. */
export function routeNamed(handler: string): Route {
  const route = ROUTES.find((r) => r.handler === handler);
  if (!route) throw new Error(`no route named ${handler} in lambdas/routes.ts`);
  return route;
}

/** Codes every route of its kind may answer, besides its own: authentication, input, and the 500. */
export function commonErrors(route: Route): string[] {
  const auth = route.access === 'public' ? [] : ['unauthorized', 'forbidden'];
  const input =
    route.method === 'GET' && !route.input?.body ? [] : ['payload_too_large', 'unsupported_media_type'];
  return [...auth, 'invalid_request', ...input, 'internal'];
}

/**
 * The path of a route with its parameters filled in (percent-encoded), and a query string from the defined values.
 * The CLI builds every request with this, so no path is written twice.
 */
export function pathOf(
  handler: string,
  params: Record<string, string> = {},
  query: Record<string, string | number | boolean | undefined | null> = {},
): string {
  const path = routeNamed(handler).resource.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${handler} needs the path parameter ${name}`);
    return encodeURIComponent(value);
  });
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query))
    if (v !== undefined && v !== null && v !== false) q.set(k, String(v));
  return q.size ? `${path}?${q}` : path;
}

/** A route's method and filled-in path, ready for a client's call: `api.call(...requestOf('upgrade-get', { id }))`. */
export function requestOf(
  handler: string,
  params: Record<string, string> = {},
  query: Record<string, string | number | boolean | undefined | null> = {},
): [method: Route['method'], path: string] {
  return [routeNamed(handler).method, pathOf(handler, params, query)];
}
