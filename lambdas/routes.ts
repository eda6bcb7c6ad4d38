/** One API route: the API Gateway resource path, its method, who may call it, and the handler file in lambdas/. */
export interface Route {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  readonly resource: string;
  readonly access: 'admin' | 'intent' | 'public';
  readonly handler: string;
}

/** Every route of the API: the local adapter serves these, and the CDK app builds API Gateway from them. */
export const ROUTES: readonly Route[] = [
  { method: 'GET', resource: '/health', access: 'public', handler: 'health' },
  { method: 'POST', resource: '/admin/drain/start', access: 'admin', handler: 'drain-start' },
  { method: 'GET', resource: '/admin/drain/status', access: 'admin', handler: 'drain-status' },
  { method: 'POST', resource: '/admin/drain/cancel', access: 'admin', handler: 'drain-cancel' },
  { method: 'POST', resource: '/admin/drain/resume', access: 'admin', handler: 'drain-resume' },
  { method: 'POST', resource: '/admin/drain/force', access: 'admin', handler: 'drain-force' },
  { method: 'GET', resource: '/admin/inflight', access: 'admin', handler: 'inflight-list' },
  { method: 'POST', resource: '/intents', access: 'intent', handler: 'intent-register' },
  { method: 'PATCH', resource: '/intents/{id}', access: 'intent', handler: 'intent-update' },
  { method: 'POST', resource: '/intents/{id}/complete', access: 'intent', handler: 'intent-complete' },
  { method: 'POST', resource: '/admin/upgrade/start', access: 'admin', handler: 'upgrade-start' },
  { method: 'GET', resource: '/admin/upgrade/status', access: 'admin', handler: 'upgrade-status' },
  { method: 'POST', resource: '/admin/upgrade/abort', access: 'admin', handler: 'upgrade-abort' },
  { method: 'POST', resource: '/admin/upgrade/{id}/continue', access: 'admin', handler: 'upgrade-continue' },
  {
    method: 'POST',
    resource: '/admin/upgrade/{id}/confirm-migration',
    access: 'admin',
    handler: 'upgrade-confirm-migration',
  },
  { method: 'POST', resource: '/admin/upgrade/{id}/promote', access: 'admin', handler: 'upgrade-promote' },
  { method: 'GET', resource: '/admin/upgrades', access: 'admin', handler: 'upgrades-list' },
  { method: 'GET', resource: '/admin/upgrades/{id}', access: 'admin', handler: 'upgrade-get' },
  { method: 'POST', resource: '/admin/upgrade/schedules', access: 'admin', handler: 'schedule-create' },
  { method: 'GET', resource: '/admin/upgrade/schedules', access: 'admin', handler: 'schedules-list' },
  {
    method: 'DELETE',
    resource: '/admin/upgrade/schedules/{id}',
    access: 'admin',
    handler: 'schedule-delete',
  },
  { method: 'POST', resource: '/admin/proposals', access: 'admin', handler: 'proposal-create' },
  { method: 'GET', resource: '/admin/proposals', access: 'admin', handler: 'proposals-list' },
  { method: 'GET', resource: '/admin/proposals/{id}', access: 'admin', handler: 'proposal-get' },
  { method: 'POST', resource: '/admin/proposals/{id}/approve', access: 'admin', handler: 'proposal-approve' },
  { method: 'POST', resource: '/admin/proposals/{id}/reject', access: 'admin', handler: 'proposal-reject' },
  { method: 'POST', resource: '/admin/proposals/{id}/cancel', access: 'admin', handler: 'proposal-cancel' },
  { method: 'POST', resource: '/admin/proposals/{id}/execute', access: 'admin', handler: 'proposal-execute' },
  { method: 'GET', resource: '/admin/checkpoints', access: 'admin', handler: 'checkpoints-list' },
  { method: 'GET', resource: '/admin/checkpoints/{id}', access: 'admin', handler: 'checkpoint-get' },
];
