import { replicasOf } from '../deploy/deployment-record.ts';
import type { UpgradeRecord } from '../upgrade-record.ts';
import type { Component } from './component-plan.ts';

/** Where one component of an upgrade stands, as the status, the CLI and the console show it. */
export interface ComponentProgress {
  readonly kind: Component['kind'];
  readonly name: string;
  readonly step: Component['step'];
  readonly state: 'pending' | 'current' | 'done' | 'rolling_back' | 'rolled_back' | 'rollback_failed';
  /** In words: replicas deployed, a wait, a migration's code ids. */
  readonly detail: string;
}

const contractProgress = (r: UpgradeRecord, c: Component): ComponentProgress => {
  const m = r.contract_migrations?.find((x) => x.name === c.name);
  const waiting = r.governance?.contract === c.name && !r.governance.confirmed_by && r.state === 'running';
  const base = { kind: c.kind, name: c.name, step: c.step };
  if (m?.rolled_back) return { ...base, state: 'rolled_back', detail: `back on code ${m.from_code_id}` };
  if (m?.migrated) return { ...base, state: 'done', detail: `code ${m.from_code_id} → ${m.to_code_id}` };
  if (m) return { ...base, state: 'current', detail: `migrating to code ${m.to_code_id}` };
  if (waiting) return { ...base, state: 'current', detail: 'waiting for the governance migration' };
  return {
    ...base,
    state: 'pending',
    detail: c.step === 'governance' ? 'migrated by governance' : 'not migrated yet',
  };
};

const serviceProgress = (r: UpgradeRecord, c: Component): ComponentProgress => {
  const base = { kind: c.kind, name: c.name, step: c.step };
  const dep = r.deployment;
  const spec = r.config.services.find((s) => s.name === c.name)?.deploy;
  if (c.step === 'manual_deploy') {
    const started = dep?.manual_started?.includes(c.name);
    const waiting = dep?.waiting_for === c.name && !dep.continued_by && r.state === 'running';
    if (waiting)
      return { ...base, state: 'current', detail: 'waiting for the operator to deploy and continue' };
    return started
      ? { ...base, state: 'done', detail: 'deployed by an operator' }
      : { ...base, state: 'pending', detail: 'an operator deploys it' };
  }
  const total = spec?.mode === 'hooks' ? spec.targets.length : 0;
  const out = replicasOf(dep?.replicas ?? [], c.name);
  const back = replicasOf(dep?.rollback ?? [], c.name);
  const deployed = out.filter((x) => x.outcome === 'deployed').length;
  if (back.some((x) => x.outcome === 'rollback_failed'))
    return {
      ...base,
      state: 'rollback_failed',
      detail: `${back
        .filter((x) => x.outcome === 'rollback_failed')
        .map((x) => x.name)
        .join(', ')} not back`,
    };
  if (back.length) {
    const done = back.filter((x) => x.outcome === 'rolled_back').length;
    return done >= out.length
      ? { ...base, state: 'rolled_back', detail: `${done} of ${out.length} replicas back` }
      : { ...base, state: 'rolling_back', detail: `${done} of ${out.length} replicas back` };
  }
  if (!out.length) return { ...base, state: 'pending', detail: `0 of ${total} replicas` };
  const failed = out.find((x) => x.outcome === 'failed');
  if (failed)
    return {
      ...base,
      state: 'current',
      detail: `${failed.name} failed: ${failed.cause ?? 'no cause recorded'}`,
    };
  // A rolling release: the replicas drained now, waiting for their own intents before their deploy.
  const draining = out.filter((x) => x.outcome === 'draining').map((x) => x.name);
  return {
    ...base,
    state: deployed >= total ? 'done' : 'current',
    detail: `${deployed} of ${total} replicas on ${r.to_version}${draining.length ? `; draining ${draining.join(', ')} (waiting for the intents each owns)` : ''}`,
  };
};

/** Each component of the upgrade in its declared order, with where it stands (read from the record only). */
export function componentProgress(r: UpgradeRecord): ComponentProgress[] {
  return (r.config.components ?? []).map((c) =>
    c.kind === 'contract' ? contractProgress(r, c) : serviceProgress(r, c),
  );
}
