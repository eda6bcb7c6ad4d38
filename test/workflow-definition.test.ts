import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WORKFLOW_TASKS } from '../lambdas/workflow/tasks.ts';
import { ASL_FILE } from '../local/workflow/asl-file.ts';
import { WORKFLOW, WORKFLOW_TASK_ENTRIES } from '../shared/upgrade/workflow/definition.ts';
import {
  DEPENDENCY_UNAVAILABLE,
  generateAsl,
  LAMBDA_RETRYABLE_ERRORS,
} from '../shared/upgrade/workflow/generate-asl.ts';

interface AslTask {
  Type: string;
  TimeoutSeconds?: number;
  TimeoutSecondsPath?: string;
  Retry?: { ErrorEquals: string[] }[];
}
const checkedIn = JSON.parse(readFileSync(ASL_FILE, 'utf8')) as { States: Record<string, AslTask> };
const generated = generateAsl(WORKFLOW) as { States: Record<string, AslTask> };

describe('the workflow table (shared/upgrade/workflow/)', () => {
  it('is what statemachines/upgrade.asl.json holds: run `npm run asl` after editing the table', () => {
    expect(JSON.stringify(checkedIn)).toBe(JSON.stringify(generated));
  });

  it("gives every Task state a timeout strictly longer than its function's", () => {
    for (const t of WORKFLOW_TASK_ENTRIES) {
      const state = checkedIn.States[t.state];
      if (t.callback) expect(state?.TimeoutSecondsPath, t.state).toBe(t.callback.timeoutSecondsPath);
      else expect(state?.TimeoutSeconds, t.state).toBeGreaterThan(t.timeoutSecs);
      expect(t.timeoutSecs, `${t.state}: Lambda allows at most 900 s`).toBeLessThanOrEqual(900);
    }
  });

  it('retries on States.Timeout and a dependency failure only idempotent steps, and every Task on the Lambda errors AWS recommends', () => {
    for (const t of WORKFLOW_TASK_ENTRIES) {
      const errors = checkedIn.States[t.state]?.Retry?.flatMap((r) => r.ErrorEquals) ?? [];
      expect(errors, t.state).toEqual(expect.arrayContaining([...LAMBDA_RETRYABLE_ERRORS]));
      expect(errors.includes('States.Timeout'), t.state).toBe(t.idempotent && !t.callback);
      expect(errors.includes(DEPENDENCY_UNAVAILABLE), t.state).toBe(t.idempotent && !t.callback);
      expect(errors, `${t.state}: nothing throws TransientError`).not.toContain('TransientError');
    }
    expect(WORKFLOW_TASK_ENTRIES.find((t) => t.state === 'Migrate contract')?.idempotent).toBe(false);
    // The checkpoint retries a transient S3 failure that outlasted the SDK's attempts (issue 22).
    expect(WORKFLOW_TASK_ENTRIES.find((t) => t.state === 'Checkpoint inflight state to S3')?.idempotent).toBe(
      true,
    );
  });

  it('lets only the steps that sign a transaction read the signer secret', () => {
    const signers = WORKFLOW_TASK_ENTRIES.filter((t) => t.access.signer).map((t) => t.state);
    expect(signers.sort()).toEqual([
      'Extend timeouts of remaining work',
      'Migrate contract',
      'Recover an interrupted upgrade', // rolls a migrated contract back
      'Roll back changed components',
      'Roll back components after bake', // the same function as "Roll back changed components"
      'Run pre-checks',
    ]);
    for (const t of WORKFLOW_TASK_ENTRIES) if (t.access.signer) expect(t.access.chain, t.state).toBe(true);
  });

  it('is the task map of the local engine: one handler file per function, each file present', () => {
    // A function several states run (the same step on two paths) is one entry, with the same settings everywhere.
    expect(Object.keys(WORKFLOW_TASKS)).toHaveLength(new Set(WORKFLOW_TASK_ENTRIES.map((t) => t.fn)).size);
    for (const t of WORKFLOW_TASK_ENTRIES) {
      const first = WORKFLOW_TASK_ENTRIES.find((x) => x.fn === t.fn);
      const same = (e: typeof t) =>
        JSON.stringify([e.handler, e.timeoutSecs, e.memoryMb, e.access, e.idempotent]);
      expect(first && same(first), `${t.state} shares ${t.fn}`).toBe(same(t));
    }
    for (const [fn, file] of Object.entries(WORKFLOW_TASKS)) {
      expect(readFileSync(new URL(`../lambdas/workflow/${file}.ts`, import.meta.url), 'utf8'), fn).toContain(
        'export const handler',
      );
    }
  });

  it('ends planned outcomes in Succeed and real failures in Fail', () => {
    const type = (name: string) => checkedIn.States[name]?.Type;
    for (const planned of [
      'Scheduled upgrade refused',
      'Upgrade refused before drain',
      'Upgrade aborted by operator',
      'Drain timed out',
      'Upgrade aborted and rolled back',
    ])
      expect(type(planned), planned).toBe('Succeed');
    for (const failure of [
      'Upgrade failed before migration',
      'Upgrade rolled back',
      'Upgrade needs an operator',
    ])
      expect(type(failure), failure).toBe('Fail');
  });
});
