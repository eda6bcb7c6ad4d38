import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support/api.ts';
import { healthEndpoint, runUpgrade } from './support/upgrade.ts';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.stop());

/**
 * A refusal is a planned outcome: the step returns it and a Choice routes it, so no function reports an error
 * (the function Errors alarm stays quiet) and the execution succeeds (the ExecutionsFailed alarm too).
 */
describe('planned outcomes are neither function errors nor failed executions', () => {
  it('an Unhealthy pre-check refuses the upgrade without any failed step', async () => {
    const down = await healthEndpoint((_req, res) => {
      res.writeHead(503).end('{"status":"Unhealthy"}');
    });
    try {
      const run = await runUpgrade(api, {
        target_version: '2.0.0',
        reason: 'refused',
        pre_checks: [{ name: 'backend', type: 'http', url: down.url }],
      });
      expect(run.execution.status).toBe('SUCCEEDED');
      expect(run.endState).toBe('Upgrade refused before drain');
      expect(run.upgrade.error).toContain('PreChecksFailed');
      const history = await api.engine.history(run.execution.executionArn);
      const failures = history.filter((e) => /Failed|Retried|Caught/.test(e.type) || e.error !== null);
      expect(failures, JSON.stringify(failures)).toEqual([]);
      expect((await api.admin('GET', '/admin/drain/status')).body.mode).toBe('Active');
    } finally {
      await down.close();
    }
  });

  it('a migration path that does not exist is refused the same way', async () => {
    const run = await runUpgrade(api, { target_version: '9.9.9', reason: 'no path' });
    expect(run.execution.status).toBe('SUCCEEDED');
    expect(run.endState).toBe('Upgrade refused before drain');
    expect(String(run.upgrade.error)).toMatch(/no migration path/);
  });
});
