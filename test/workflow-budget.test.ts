import { describe, expect, it } from 'vitest';
import { BAKE_LIMITS } from '../shared/upgrade/bake/bake-spec.ts';
import { ROLLBACK_DRAIN_CHECKS } from '../shared/upgrade/bake/rollback-after-resume.ts';
import { MAX_REPLICA_DRAIN_SECS, REPLICA_BUDGET_SECS } from '../shared/upgrade/deploy-spec.ts';
import { IBC_VERIFY_WAITS } from '../shared/upgrade/ibc/verify-ibc-step.ts';
import { ROLLING_LOOK_BUDGET } from '../shared/upgrade/rolling/roll-replicas.ts';
import { UPGRADE_LIMITS, withDefaults } from '../shared/upgrade/upgrade-config.ts';
import { WORKFLOW, WORKFLOW_TASK_ENTRIES } from '../shared/upgrade/workflow/definition.ts';
import { nextDrainWaitSecs } from '../shared/upgrade/workflow/drain-backoff.ts';
import { RETRY_BACKOFF, STATE_TIMEOUT_MARGIN_SECS } from '../shared/upgrade/workflow/generate-asl.ts';
import type { TaskEntry } from '../shared/upgrade/workflow/types.ts';

/**
 * Static budgets of the upgrade workflow for the worst case the inputs allow (UPGRADE_LIMITS, which withDefaults
 * enforces): AWS's execution timeout and 25,000-event history can't be caught, so they must never be reached.
 */
const L = UPGRADE_LIMITS;
const retries = RETRY_BACKOFF.MaxAttempts;
const retryWaits = Array.from({ length: retries }, (_, i) => 2 * 2 ** i).reduce((a, b) => a + b, 0);
const task = (state: string): TaskEntry & { state: string } => {
  const t = WORKFLOW_TASK_ENTRIES.find((x) => x.state === state);
  if (!t) throw new Error(`no Task ${state}`);
  return t;
};
/** One visit of a Task: idempotent ones may time out on every attempt; others once, then fail fast. */
const taskSecs = (t: TaskEntry): number => {
  const state = t.timeoutSecs + STATE_TIMEOUT_MARGIN_SECS;
  return t.idempotent ? (retries + 1) * state + retryWaits : state + retries * 60 + retryWaits;
};
/** Every check the longest drain makes (poll at the smallest interval allowed, 1 s), for a checks budget. */
const checksOfLongestDrain = (checksBudget?: number): number => {
  let t = 0;
  let checks = 0;
  while (t < L.drain_timeout_secs) {
    checks++;
    t += nextDrainWaitSecs({
      elapsedSecs: t,
      remainingSecs: L.drain_timeout_secs - t,
      pollIntervalSecs: 1,
      drainTimeoutSecs: L.drain_timeout_secs,
      ...(checksBudget ? { checksBudget } : {}),
    });
  }
  return checks + 1;
};
const drainChecks = checksOfLongestDrain();
/** The rollback drain after a bake allows fewer checks (ROLLBACK_DRAIN_CHECKS). */
const rollbackDrainChecks = checksOfLongestDrain(ROLLBACK_DRAIN_CHECKS);
const IBC_VERIFICATIONS = ['Verify IBC packets', 'Verify IBC packets after rollback'];
const ibcReadings = IBC_VERIFY_WAITS + 1;
const LOOPS = new Set([
  'Check drain progress',
  'Bake on target version',
  'Check rollback drain',
  'Roll back components after bake',
  'Roll out service replicas',
  'Roll back changed components',
  'Roll back to checkpoint',
  // The component iterator: once per contract or service.
  'Any component left?',
  'Select component',
  'Change which component?',
  'Next component',
  'Migrate contract',
  'Wait for governance migration',
  'Verify governance migration',
  'Wait for operator deploy',
  "Resume on the operator's version?",
  // A rolling release and its rollback: the other way through, instead of the drain (its own budget below).
  'Roll replicas with the fence open',
  'Rolling release done?',
  'Wait during rolling release',
  'Roll back rolled replicas',
  'Rolling rollback done?',
  'Wait during rolling rollback',
  'Bake the canary',
  'Canary verdict?',
  'Wait during canary bake',
  // The IBC verifications, after the resume and after a rollback: IBC_VERIFY_WAITS + 1 readings each at most.
  ...IBC_VERIFICATIONS.flatMap((name) => [name, `${name}: settled?`, `${name}: wait`]),
]);
/** The most components one upgrade may change. */
const COMPONENTS = L.contracts + L.services;

describe('workflow budgets, worst case the inputs allow', () => {
  it('the limits are what withDefaults accepts, and one more is refused', () => {
    const base = { target_version: '2.0.0', reason: 'budget' };
    expect(() => withDefaults({ ...base, drain_timeout_secs: L.drain_timeout_secs }, 5)).not.toThrow();
    expect(() => withDefaults({ ...base, drain_timeout_secs: L.drain_timeout_secs + 1 }, 5)).toThrow(
      /drain_timeout_secs must be at most/,
    );
    expect(() =>
      withDefaults(
        { ...base, deploy: { mode: 'manual', deploy_timeout_secs: L.deploy_timeout_secs + 1 } },
        5,
      ),
    ).toThrow(/deploy_timeout_secs/);
    const url = (what: string) => `http://replica-a.internal:8080/${what}`;
    const target = {
      name: 'a',
      deploy_url: url('deploy'),
      health_url: url('health'),
      version_url: url('version'),
    };
    const hooks = { mode: 'hooks' as const, targets: [target] };
    expect(() => withDefaults({ ...base, deploy: { ...hooks, replica_timeout_secs: 600 } }, 5)).not.toThrow();
    expect(() => withDefaults({ ...base, deploy: { ...hooks, replica_timeout_secs: 3600 } }, 5)).toThrow(
      /one replica could take/,
    );
  });

  it("one replica's deploy or rollback fits its Task's function", () => {
    for (const state of ['Roll out service replicas', 'Roll back changed components'])
      expect(REPLICA_BUDGET_SECS + 30, state).toBeLessThanOrEqual(task(state).timeoutSecs);
    expect(L.check_timeout_secs + 60).toBeLessThanOrEqual(task('Run post-checks').timeoutSecs);
    expect(L.check_timeout_secs + 60).toBeLessThanOrEqual(task('Run pre-checks').timeoutSecs);
  });

  it('drain + every component + rollback attempts × delays + state timeouts fit the execution timeout', () => {
    const once = WORKFLOW_TASK_ENTRIES.filter((t) => !LOOPS.has(t.state) && !t.callback);
    // COMPONENTS_BUDGET_SECS bounds the components' waits and rollouts together, with the bake and its rollback drain
    // (the schema refuses more); on top of it, each component's Tasks at their state timeouts with every retry.
    const componentTasks =
      L.contracts * (taskSecs(task('Migrate contract')) + taskSecs(task('Verify governance migration'))) +
      L.replica_targets * taskSecs(task('Roll out service replicas'));
    const rollbackUnits = L.replica_targets + L.contracts + L.max_rollback_attempts;
    const total =
      once.reduce((n, t) => n + taskSecs(t), 0) +
      L.drain_timeout_secs +
      taskSecs(task('Check drain progress')) +
      L.components_budget_secs +
      componentTasks +
      taskSecs(task('Bake on target version')) +
      taskSecs(task('Check rollback drain')) +
      // Rolled back once after a bake, or in the failure path with every attempt (each unit once, plus the retried).
      rollbackUnits * taskSecs(task('Roll back changed components')) +
      L.max_rollback_attempts * (taskSecs(task('Roll back to checkpoint')) + L.rollback_retry_delay_secs) +
      IBC_VERIFICATIONS.length *
        (L.ibc_verify_timeout_secs + ibcReadings * taskSecs(task('Verify IBC packets')));
    expect(total).toBeLessThan(WORKFLOW.executionTimeoutSecs);
    expect(WORKFLOW.executionTimeoutSecs).toBeLessThanOrEqual(365 * 86_400);
    console.log(
      `worst-case duration: ${(total / 86_400).toFixed(2)} days of ${WORKFLOW.executionTimeoutSecs / 86_400} (components ${COMPONENTS}, replicas ${L.replica_targets})`,
    );
  });

  it('the components budget is held by the schema: one second more is refused', () => {
    const gov = (i: number, secs: number) => ({
      name: `c${i}`,
      address: `wasm1${'q'.repeat(38)}${'pz'[i]}`,
      new_code_id: 2,
      expected_checksum: 'a'.repeat(64),
      migrate_msg: { new_version: '2.0.0' },
      governance: { timeout_secs: secs },
    });
    // Every contract by governance at the longest, and a manual service: the budget, to the second.
    const manual = { name: 'svc', deploy: { mode: 'manual' as const, deploy_timeout_secs: 3600 } };
    const directSecs = 900; // each contract's own migrate-and-verify Task (componentsWorstCaseSecs)
    const govSecs = Math.floor((L.components_budget_secs - 3600) / 2) - directSecs;
    const at = (extra: number) => ({
      target_version: '2.0.0',
      reason: 'budget',
      contracts: [gov(0, govSecs), gov(1, govSecs + extra)],
      services: [manual],
    });
    expect(() => withDefaults(at(0), 5)).not.toThrow();
    expect(() => withDefaults(at(1), 5)).toThrow(/the components could take/);
  });

  it('worst-case history events stay under 20,000 (AWS fails the execution at 25,000)', () => {
    const TASK = 5; // entered, scheduled, started, succeeded, exited
    const RETRY = 3; // scheduled, started, failed again
    const OTHER = 2; // entered, exited
    const states = Object.entries(WORKFLOW.states);
    const once = states
      .filter(([name]) => !LOOPS.has(name))
      .reduce((n, [, s]) => n + (s.Type === 'Task' ? TASK + retries * RETRY : OTHER), 2);
    const drain = drainChecks * (TASK + OTHER + OTHER); // check, choice, wait
    // Per component: the iterator's choice, select, choice, next; a contract's two Tasks (wait and verify) at most.
    const components = COMPONENTS * (4 * OTHER + 2 * (TASK + retries * RETRY) + OTHER);
    const replicas = 2 * L.replica_targets * (TASK + OTHER); // roll out and roll back, each with its choice
    const contractRollbacks = (L.contracts + L.max_rollback_attempts) * (TASK + OTHER);
    const rollback = L.max_rollback_attempts * (2 * (TASK + retries * RETRY) + 3 * OTHER);
    const loopRetries = 100 * RETRY; // an allowance for retried attempts inside the loops
    // After a bake: its checks, the rollback drain's, and the components rolled back once more.
    const bake =
      (BAKE_LIMITS.max_checks + 1) * (TASK + OTHER + OTHER) +
      rollbackDrainChecks * (TASK + OTHER + OTHER) +
      (L.replica_targets + L.contracts) * (TASK + OTHER);
    const ibc = IBC_VERIFICATIONS.length * ibcReadings * (TASK + OTHER + OTHER); // read, choice, wait
    const total =
      once + drain + components + replicas + contractRollbacks + rollback + loopRetries + bake + ibc;
    expect(drainChecks).toBeLessThan(1200);
    expect(rollbackDrainChecks).toBeLessThan(400);
    expect(total).toBeLessThan(20_000);
    console.log(
      `worst-case history: ${total} events; components ${COMPONENTS}, replicas ${L.replica_targets}`,
    );
  });

  it('a rolling release and its rollback stay within the history and the execution timeout', () => {
    // Each direction: every look of the shared budget, and each replica's deploy (or way back), with its choice and wait.
    const perDirection = (ROLLING_LOOK_BUDGET + 2 * L.replica_targets) * (5 + 2 + 2);
    const once = 200; // the states before and after it, with retries (far fewer than the drain path's)
    const canary = (BAKE_LIMITS.max_checks + 1) * (5 + 2 + 2); // the canary's bake: each look, its choice and wait
    expect(once + 2 * perDirection + canary).toBeLessThan(20_000);
    // Time: every replica drained to its limit and deployed at its worst, there and back.
    const secs =
      2 * L.replica_targets * (MAX_REPLICA_DRAIN_SECS + REPLICA_BUDGET_SECS + 60) + BAKE_LIMITS.duration_secs;
    expect(secs).toBeLessThan(WORKFLOW.executionTimeoutSecs);
    console.log(
      `rolling worst case (canary included): ${once + 2 * perDirection + canary} events, ${(secs / 86_400).toFixed(2)} days`,
    );
  });

  it('every Task state times out after its function does', () => {
    for (const t of WORKFLOW_TASK_ENTRIES.filter((x) => !x.callback))
      expect(t.timeoutSecs + STATE_TIMEOUT_MARGIN_SECS, t.state).toBeGreaterThan(t.timeoutSecs);
  });
});
