import { clientFor, type Hooks } from '../deploy/deployment-record.ts';
import { replicaNow } from '../deploy/replica-recheck.ts';
import type { UpgradeServices } from '../upgrade-services.ts';
import { StepFailure, type WorkflowState } from '../workflow-state.ts';

/**
 * Before an upgrade is called succeeded (after its bake, if any): every replica of every service rolled out by hooks
 * is read once more, version and health. One that answers another version or is not Healthy fails the step, and the
 * upgrade rolls back as after a tripped bake: a record that says "succeeded on 2.0.0" while a replica runs 1.0.0 is
 * the failure this step exists to prevent.
 */
export async function verifyServicesOnTarget(_svc: UpgradeServices, s: WorkflowState) {
  const version = s.config.target_version;
  const checked: { service: string; replica: string; version: string; health: string }[] = [];
  for (const service of s.config.services) {
    if (service.deploy.mode !== 'hooks') continue;
    const spec: Hooks = service.deploy;
    const c = clientFor(spec);
    const answers = await Promise.all(
      spec.targets.map(async (t) => ({
        service: service.name,
        replica: t.name,
        ...(await replicaNow(c, spec, t.name)),
      })),
    );
    checked.push(...answers);
  }
  const off = checked.filter((r) => r.version !== version || r.health !== 'Healthy');
  if (off.length)
    throw new StepFailure(
      'ReplicasNotOnTarget',
      `not calling the upgrade succeeded: ${off
        .slice(0, 5)
        .map((r) => `${r.service} ${r.replica} answers version ${r.version}, health ${r.health}`)
        .join('; ')}${off.length > 5 ? ` and ${off.length - 5} more` : ''}; rolling back`,
    );
  return { replicas: checked.length, version };
}
