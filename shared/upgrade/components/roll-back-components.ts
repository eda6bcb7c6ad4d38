import { rollBackContract } from '../contract/contract-steps.ts';
import {
  clientFor,
  deploymentOf,
  replicasOf,
  saveDeployment,
  withReplica,
} from '../deploy/deployment-record.ts';
import { nextToRollBack, rollBackReplica, startedRecord } from '../deploy/rollout.ts';
import type { UpgradeServices } from '../upgrade-services.ts';
import type { WorkflowState } from '../workflow-state.ts';

/**
 * One unit of a rollback, newest change first: the components in reverse of the order they were changed, and within
 * a service its replicas newest first. So a failure at the second service rolls back its replicas, then the first
 * service's, then the contracts in reverse order (the data follows, from the checkpoint). Each call does one replica
 * or one contract, recorded before and after, and returns `done: false`; the workflow loops until `done`.
 *
 * A replica whose rollback fails is recorded and passed over (the resume refuses while one is not back); a contract
 * whose rollback fails throws, and the workflow retries the loop (it finds the work already done).
 */
export async function rollBackNextComponent(svc: UpgradeServices, s: WorkflowState) {
  const record = await svc.upgrades.get(s.upgrade_id);
  const manual: string[] = [];
  for (const c of [...s.config.components].reverse()) {
    if (c.kind === 'contract') {
      const m = record?.contract_migrations?.find((x) => x.name === c.name && !x.rolled_back);
      if (m) return { done: false, ...(await rollBackContract(svc, s, m)) };
      continue;
    }
    const spec = s.config.services.find((x) => x.name === c.name)?.deploy;
    const dep = await deploymentOf(svc, s);
    if (spec?.mode === 'manual') {
      if (dep.manual_started?.includes(c.name)) manual.push(c.name);
      continue;
    }
    if (!spec) continue;
    const { next } = nextToRollBack(replicasOf(dep.replicas, c.name), replicasOf(dep.rollback, c.name));
    if (!next) continue;
    const back = startedRecord(c.name, next.name, next.to, next.from ?? 'unknown', 'rolling_back');
    await saveDeployment(svc, s, { ...dep, rollback: withReplica(dep.rollback, back) });
    const result = await rollBackReplica(clientFor(spec), spec, { ...next, service: c.name });
    const after = await deploymentOf(svc, s);
    await saveDeployment(svc, s, { ...after, rollback: withReplica(after.rollback, result) });
    return { done: false, service: c.name, replica: next.name, outcome: result.outcome, cause: result.cause };
  }
  return {
    done: true,
    ...(manual.length
      ? {
          note: `manual deploy: redeploy ${manual.reverse().join(', then ')} on ${s.from_version} yourself; the rest is rolled back`,
        }
      : {}),
  };
}
