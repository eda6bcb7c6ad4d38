import {
  clientFor,
  deploymentOf,
  type Hooks,
  replicasOf,
  saveDeployment,
  withReplica,
} from '../deploy/deployment-record.ts';
import { nextToRollBack, rollBackReplica, startedRecord } from '../deploy/rollout.ts';
import type { ReplicaRecord } from '../deploy-spec.ts';
import type { UpgradeServices } from '../upgrade-services.ts';
import type { WorkflowState } from '../workflow-state.ts';
import { ownedIntents } from './owned-intents.ts';
import { resumeIfOk } from './resume-replica.ts';
import { rollingWaitSecs } from './roll-replicas.ts';

/**
 * One step of a rolling release's rollback, newest replica first (the workflow loops until `done`), admission open
 * throughout. A replica drained but never deployed is resumed. One that ran the new version is drained again, and
 * once the intents it took meanwhile are done, put back on its old version, verified, and resumed. One whose intents
 * outlast replica_drain_timeout_secs, or whose way back fails, is recorded `rollback_failed`: the release then ends
 * needing an operator, naming it.
 */
export async function rollBackRolling(svc: UpgradeServices, s: WorkflowState) {
  const dep = await deploymentOf(svc, s);
  for (const service of [...s.config.services].reverse()) {
    const spec = service.deploy as Hooks;
    const c = clientFor(spec);
    const { next } = nextToRollBack(
      replicasOf(dep.replicas, service.name),
      replicasOf(dep.rollback, service.name),
    );
    if (!next) continue;
    const target = spec.targets.find((t) => t.name === next.name);
    const save = async (r: ReplicaRecord) => {
      const now = await deploymentOf(svc, s);
      await saveDeployment(svc, s, {
        ...now,
        rollback: withReplica(now.rollback, { ...r, service: service.name }),
      });
    };
    const ended = (outcome: 'rolled_back' | 'rollback_failed', cause: string | null) =>
      save({
        ...startedRecord(service.name, next.name, next.to, next.from ?? 'unknown', 'rolling_back'),
        outcome,
        cause,
      });
    if (!target) {
      await ended('rollback_failed', 'no such target in the deploy section');
      return {
        wait_secs: 0,
        done: false,
        service: service.name,
        replica: next.name,
        outcome: 'rollback_failed',
      };
    }
    if (next.outcome === 'draining') {
      // Drained, never deployed: it runs the old version; it only has to take intents again.
      const back = await c.signal(target, 'resume').then(
        () => null,
        (e: Error) => `resume hook: ${e.message}`,
      );
      await ended(back ? 'rollback_failed' : 'rolled_back', back ?? 'drained, never deployed: resumed');
      return {
        wait_secs: 0,
        done: false,
        service: service.name,
        replica: next.name,
        outcome: back ? 'rollback_failed' : 'rolled_back',
      };
    }
    const open = replicasOf(dep.rollback, service.name).find((r) => r.name === next.name);
    const began = open ? Date.parse(open.started_at) : svc.clock.now();
    if (!open) {
      await save(startedRecord(service.name, next.name, next.to, next.from ?? 'unknown', 'rolling_back'));
      await c.signal(target, 'drain').catch(() => {}); // asked again below: its intents decide
    }
    const owned = await ownedIntents(svc.inflight, next.name);
    if (owned.count > 0) {
      if ((svc.clock.now() - began) / 1000 < spec.replica_drain_timeout_secs)
        return {
          done: false,
          service: service.name,
          replica: next.name,
          waiting_for: owned.count,
          wait_secs: rollingWaitSecs(s, spec.replica_drain_timeout_secs),
        };
      await ended(
        'rollback_failed',
        `${owned.count} of its intents still inflight after ${spec.replica_drain_timeout_secs} s: it was left on ${next.to}, drained`,
      );
      return {
        wait_secs: 0,
        done: false,
        service: service.name,
        replica: next.name,
        outcome: 'rollback_failed',
      };
    }
    const result = await rollBackReplica(c, spec, { ...next, service: service.name });
    const resumed = await resumeIfOk(c, target, result, 'rolled_back', 'rollback_failed');
    await save(resumed);
    return { done: false, service: service.name, replica: next.name, outcome: resumed.outcome, wait_secs: 0 };
  }
  return { done: true, wait_secs: 0 };
}
