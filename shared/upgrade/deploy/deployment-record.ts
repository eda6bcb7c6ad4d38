import {
  type DeploymentRecord,
  type ReplicaRecord,
  type ServiceSpec,
  SHORTHAND_SERVICE,
} from '../deploy-spec.ts';
import { recordPatch, writeRecord } from '../record-patch.ts';
import type { UpgradeServices } from '../upgrade-services.ts';
import type { WorkflowState } from '../workflow-state.ts';
import { httpReplicaClient } from './replica-client.ts';

/** Hooks mode of a service's deploy section. */
export type Hooks = Extract<ServiceSpec['deploy'], { mode: 'hooks' }>;

/** The deployment record before anything was deployed. */
export const emptyDeployment = (requestedBy: string): DeploymentRecord => ({
  requested_by: requestedBy,
  replicas: [],
  rollback: [],
  continued_by: null,
  waiting_since: null,
  task_token: null,
  smoke_test: null,
});

/** The upgrade's deployment record as stored (an empty one before its first deploy). */
export async function deploymentOf(svc: UpgradeServices, s: WorkflowState): Promise<DeploymentRecord> {
  const record = await svc.upgrades.get(s.upgrade_id);
  return (
    (record?.deployment as DeploymentRecord | null | undefined) ??
    emptyDeployment(record?.requested_by ?? 'unknown')
  );
}

export const saveDeployment = (svc: UpgradeServices, s: WorkflowState, d: DeploymentRecord) =>
  writeRecord(svc.upgrades, s.upgrade_id, recordPatch('deployment', { deployment: d }));

/** The service a replica record belongs to (records without one belong to the `deploy` shorthand's service). */
export const serviceOf = (r: ReplicaRecord): string => r.service ?? SHORTHAND_SERVICE;

/** One service's replicas in a list of replica records. */
export const replicasOf = (list: readonly ReplicaRecord[], service: string): ReplicaRecord[] =>
  list.filter((r) => serviceOf(r) === service);

/** The list with `r` replacing the record of the same service and replica, or appended. */
export const withReplica = (list: readonly ReplicaRecord[], r: ReplicaRecord): ReplicaRecord[] => {
  const same = (x: ReplicaRecord) => x.name === r.name && serviceOf(x) === serviceOf(r);
  return list.some(same) ? list.map((x) => (same(x) ? r : x)) : [...list, r];
};

export const clientFor = (spec: Hooks) =>
  httpReplicaClient({ requestTimeoutSecs: spec.request_timeout_secs, retries: spec.retries });
