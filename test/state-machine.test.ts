import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { WORKFLOW_TASKS } from '../lambdas/workflow/tasks.ts';
import { ASL_FILE } from '../local/workflow/local-workflow-engine.ts';

const require = createRequire(import.meta.url);
const aslValidator = require('asl-validator') as (d: unknown) => {
  isValid: boolean;
  errorsText: (sep: string) => string;
};

interface State {
  Type: string;
  Resource?: string;
  Retry?: { ErrorEquals: string[]; BackoffRate?: number; MaxAttempts?: number }[];
  Catch?: { ErrorEquals: string[]; Next: string }[];
  Next?: string;
  Default?: string;
  Choices?: { Next: string }[];
  TimeoutSeconds?: number;
}

const text = readFileSync(ASL_FILE, 'utf8');
const definition = JSON.parse(text) as {
  StartAt: string;
  States: Record<string, State>;
  QueryLanguage?: string;
};
const tasks = Object.entries(definition.States).filter(([, s]) => s.Type === 'Task');

/** States that only record an outcome: retried, but with nothing to compensate if they fail. */
const RECORD_ONLY = new Set([
  'Record upgrade refused before drain',
  'Record upgrade in history',
  'Record failure needing an operator',
  'Record unapproved execution',
  'Record rolling release rolled back',
]);

describe('statemachines/upgrade.asl.json', () => {
  it('is valid ASL (asl-validator)', () => {
    const result = aslValidator(definition);
    expect(result.isValid, result.errorsText('\n')).toBe(true);
  });

  it('uses JSONPath only: no JSONata, no Assign (the local interpreter ignores them)', () => {
    expect(definition.QueryLanguage ?? 'JSONPath').toBe('JSONPath');
    expect(text).not.toMatch(/"Assign"|"Arguments"|"Output"|\{%/);
  });

  it('maps every Task to a handler in lambdas/workflow/, and every handler to a Task', () => {
    const placeholders = tasks.map(([, s]) => {
      const fn = s.Resource?.endsWith('.waitForTaskToken')
        ? (s as { Parameters?: { FunctionName?: string } }).Parameters?.FunctionName
        : s.Resource;
      return /^\$\{(\w+)FunctionArn\}$/.exec(fn ?? '')?.[1];
    });
    expect(placeholders.every(Boolean)).toBe(true);
    expect(new Set(placeholders)).toEqual(new Set(Object.keys(WORKFLOW_TASKS)));
  });

  it('retries transient errors with backoff in every Task, and catches failures wherever state changes', () => {
    for (const [name, state] of tasks) {
      const retry = state.Retry?.[0];
      expect(retry?.ErrorEquals, name).toContain('Lambda.ServiceException');
      expect(retry?.BackoffRate ?? 0, name).toBeGreaterThanOrEqual(1);
      const timeout =
        state.TimeoutSeconds ?? ((state as { TimeoutSecondsPath?: string }).TimeoutSecondsPath ? 1 : 0);
      expect(timeout, `${name} needs an explicit timeout`).toBeGreaterThan(0);
      if (!RECORD_ONLY.has(name))
        expect(state.Catch?.[0]?.ErrorEquals, `${name} has no Catch`).toEqual(['States.ALL']);
    }
  });

  it('sends every failure after the checkpoint to the rollback, and every failure before it to the drain cancel', () => {
    const after = [
      'Mark upgrading',
      'Migrate stored records',
      'Migrate contract',
      'Wait for governance migration',
      'Verify governance migration',
      'Run post-checks',
      'Resume on target version',
    ];
    for (const name of [...after, 'Roll out service replicas', 'Wait for operator deploy']) {
      expect(definition.States[name]?.Catch?.[0]?.Next).toBe('Roll back changed components');
    }
    // One replica or contract per Task: the rollback loops through a Choice until every changed component is back,
    // and a failure in it counts as a rollback attempt (retried from the loop).
    expect(definition.States['Roll back changed components']?.Next).toBe('More components to roll back?');
    expect(definition.States['More components to roll back?']?.Default).toBe('Roll back changed components');
    expect(definition.States['More components to roll back?']?.Choices?.[0]?.Next).toBe(
      'Roll back to checkpoint',
    );
    expect(definition.States['Roll back changed components']?.Catch?.[0]?.Next).toBe(
      'Count rollback attempt',
    );
    expect(definition.States['Wait before retrying rollback']?.Next).toBe('Roll back changed components');
    const before = [
      'Start drain',
      'Check drain progress',
      'Force drain',
      'Extend timeouts of remaining work',
      'Checkpoint inflight state to S3',
    ];
    for (const name of before)
      expect(definition.States[name]?.Catch?.[0]?.Next).toBe('Cancel drain and resume old version');
  });

  it('leaves no state unreachable', () => {
    const seen = new Set<string>();
    const visit = (name: string) => {
      if (seen.has(name)) return;
      seen.add(name);
      const s = definition.States[name];
      if (!s) throw new Error(`missing state ${name}`);
      for (const next of [
        s.Next,
        s.Default,
        ...(s.Choices ?? []).map((c) => c.Next),
        ...(s.Catch ?? []).map((c) => c.Next),
      ]) {
        if (next) visit(next);
      }
    };
    visit(definition.StartAt);
    expect([...seen].sort()).toEqual(Object.keys(definition.States).sort());
  });
});
