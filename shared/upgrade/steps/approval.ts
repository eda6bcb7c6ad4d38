import { configSha256 } from '../../approval/config-hash.ts';
import { recordScheduledRefusal } from '../scheduled-refusal.ts';
import type { UpgradeConfig } from '../upgrade-config.ts';
import type { UpgradeServices } from '../upgrade-services.ts';
import type { WorkflowState } from '../workflow-state.ts';
import { finishUpgrade } from './common.ts';

export interface ApprovalVerdict {
  readonly approved: boolean;
  readonly reason: string | null;
  readonly proposal_id: string | null;
}

/** What the first Task receives: the whole state (whatever the starter put there) and the execution's name. */
export interface ApprovalInput {
  readonly state: Partial<WorkflowState> | null;
  readonly execution_name: string;
  readonly execution_id?: string;
}

const refuse = (reason: string, proposal_id: string | null = null): ApprovalVerdict => ({
  approved: false,
  reason,
  proposal_id,
});

/**
 * May this execution drain anything? Only the registered upgrade (its record running, holding the lock, under
 * this execution's name) and, with the approval policy on and unless it is a dry run, only as the execution of
 * its approved proposal, over exactly the approved config. Reads only.
 */
export async function checkApproval(svc: UpgradeServices, input: ApprovalInput): Promise<ApprovalVerdict> {
  const s = input.state ?? {};
  const id = typeof s.upgrade_id === 'string' ? s.upgrade_id : '';
  if (id !== input.execution_name)
    return refuse(
      `the execution ${input.execution_name} is not a registered upgrade (its input names "${id}"): start upgrades through the API`,
    );
  const [record, holder] = await Promise.all([svc.upgrades.get(id), svc.upgrades.lockHolder()]);
  if (record?.state !== 'running' || holder !== id)
    return refuse(
      `upgrade ${id} is not registered as the running upgrade (lock held by ${holder ?? 'nobody'})`,
    );
  if (!svc.approval || s.config?.dry_run === true) return { approved: true, reason: null, proposal_id: null };
  const pid = s.proposal_id ?? null;
  if (!pid) return refuse('the approval policy is on and this upgrade executes no approved proposal');
  const p = await svc.proposals.get(pid);
  if (!p) return refuse(`no proposal ${pid}`, pid);
  if (p.executed?.upgrade_id !== id)
    return refuse(
      `proposal ${pid} was not executed as this upgrade (${p.executed ? `but as ${p.executed.upgrade_id}` : 'not executed'})`,
      pid,
    );
  if (configSha256(s.config) !== p.config_sha256 || record.proposal_id !== pid)
    return refuse(
      `this execution's config is not the approved one (proposal ${pid}, config_sha256 ${p.config_sha256})`,
      pid,
    );
  return { approved: true, reason: null, proposal_id: pid };
}

/**
 * The refusal, recorded: an execution that holds the lock under its own name ends its upgrade as refused (and
 * frees the lock); any other gets a refused history entry of its own and touches nothing else.
 */
export async function recordUnapproved(
  svc: UpgradeServices,
  input: ApprovalInput,
  fallback: UpgradeConfig,
): Promise<{ refused: true; reason: string }> {
  const s = input.state ?? {};
  const verdict = s.approval;
  const error = s.error;
  const reason =
    verdict?.reason ?? `the approval check failed: ${error?.Error ?? 'unknown'} ${error?.Cause ?? ''}`.trim();
  const id = typeof s.upgrade_id === 'string' ? s.upgrade_id : '';
  const ours = id === input.execution_name && (await svc.upgrades.lockHolder()) === id;
  if (ours) {
    await finishUpgrade(svc, s as WorkflowState, 'refused', `refused before draining: ${reason}`);
  } else {
    const ref = {
      executionName: input.execution_name,
      executionArn: input.execution_id ?? null,
      scheduleName: null,
    };
    await recordScheduledRefusal(svc, ref, s.config ?? fallback, reason, 'execution');
  }
  await svc.audit.record({
    at: svc.clock.now(),
    actor: `execution:${input.execution_name}`,
    action: 'upgrade.unapproved_execution',
    params: { upgrade_id: id || null, proposal_id: s.proposal_id ?? null },
    correlationId: input.execution_name,
    outcome: 'refused',
    message: reason,
  });
  return { refused: true, reason };
}
