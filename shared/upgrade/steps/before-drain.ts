import { runChecks } from '../../health/health.ts';
import { preCheckContract } from '../contract/contract-steps.ts';
import type { UpgradeServices } from '../upgrade-services.ts';
import { causeOf, StepFailure, type WorkflowState } from '../workflow-state.ts';
import { blocking, describeChecks, finishUpgrade, migrationChain } from './common.ts';

/** Step 1: the configured health checks and the migration path. Any Unhealthy stops the upgrade before draining. */
export async function runPreChecks(svc: UpgradeServices, s: WorkflowState) {
  const chain = migrationChain(svc, s); // no path: refused here, before anything changes
  const results = await runChecks(svc.checksFor(s.config.pre_checks), s.config.check_timeout_secs);
  const bad = blocking(results, s.config.allow_degraded);
  if (bad.length) throw new StepFailure('PreChecksFailed', `pre-checks failed: ${describeChecks(bad)}`);
  const contract = s.config.contract ? await preCheckContract(svc, s) : null;
  return { results, migration_path: chain.map((m) => `${m.from}->${m.to}`), contract };
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
  const cause = causeOf(s.error);
  await finishUpgrade(svc, s, 'failed', `refused before draining: ${cause}`);
  return { cause };
}
