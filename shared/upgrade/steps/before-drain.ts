import { DomainError } from '../../domain/errors.ts';
import { type HealthResult, runChecks } from '../../health/health.ts';
import { preCheckContracts } from '../contract/contract-snapshot.ts';
import type { UpgradeServices } from '../upgrade-services.ts';
import { causeOf, StepFailure, type WorkflowState } from '../workflow-state.ts';
import { blocking, describeChecks, finishUpgrade, migrationChain } from './common.ts';
import { ibcPreCheck } from './ibc-precheck.ts';

/**
 * Step 1: the configured health checks, the migration path and the contract. Any Unhealthy (or no path, or a
 * contract that cannot be migrated) refuses the upgrade before draining. A refusal is a planned outcome, so it is
 * returned (`passed: false` and the reason; the workflow's Choice records it), not thrown: it never counts as a
 * function error or a failed execution.
 */
export async function runPreChecks(svc: UpgradeServices, s: WorkflowState) {
  let results: HealthResult[] = [];
  try {
    // No path: refused here, before anything changes. A rolling release changes no record: it needs none.
    const chain = s.config.strategy === 'rolling' ? [] : migrationChain(svc, s);
    results = await runChecks(svc.checksFor(s.config.pre_checks), s.config.check_timeout_secs);
    const bad = blocking(results, s.config.allow_degraded, s.config.pre_checks);
    if (bad.length) throw new StepFailure('PreChecksFailed', `pre-checks failed: ${describeChecks(bad)}`);
    const contracts = await preCheckContracts(svc, s);
    const ibc = await ibcPreCheck(svc, s);
    const path = chain.map((m) => `${m.from}->${m.to}`);
    return { passed: true, reason: null, results, migration_path: path, contracts, ibc };
  } catch (err) {
    const e = err as Error;
    if (!(e instanceof DomainError || (e instanceof StepFailure && e.name === 'PreChecksFailed'))) throw err;
    return { passed: false, reason: `${e.name}: ${e.message}`, results, migration_path: [], contracts: [] };
  }
}

/** Dry run: what the upgrade would do, without draining. Ends the upgrade as `dry_run`. */
export async function planDryRun(svc: UpgradeServices, s: WorkflowState) {
  const chain = migrationChain(svc, s);
  const byVersion: Record<string, number> = {};
  for await (const page of svc.records.pages()) {
    for (const r of page) byVersion[r.protocol_version] = (byVersion[r.protocol_version] ?? 0) + 1;
  }
  const sources = new Set(chain.map((m) => m.from));
  const plan = {
    from_version: s.from_version,
    to_version: s.config.target_version,
    migration_path: chain.map((m) => ({
      name: `${m.from}->${m.to}`,
      description: m.description,
      reversible: !!m.reverse,
    })),
    inflight_by_version: byVersion,
    records_to_migrate: Object.entries(byVersion)
      .filter(([v]) => sources.has(v))
      .reduce((n, [, c]) => n + c, 0),
    pre_checks: s.pre_checks?.results ?? [],
    would: [
      'drain',
      'checkpoint to S3',
      'mark Upgrading',
      'migrate stored records',
      'post-checks',
      `resume on ${s.config.target_version}`,
    ],
  };
  await finishUpgrade(svc, s, 'dry_run', null, plan);
  return plan;
}

/** Pre-checks refused the upgrade: record why; nothing was changed. */
export async function recordRefused(svc: UpgradeServices, s: WorkflowState) {
  const cause = s.error ? causeOf(s.error) : (s.pre_checks?.reason ?? 'refused by the pre-checks');
  await finishUpgrade(svc, s, 'failed', `refused before draining: ${cause}`);
  return { cause };
}
