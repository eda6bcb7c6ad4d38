import { audited, type Caller } from '../domain/audited.ts';
import { DomainError, ForbiddenError, NotFoundError } from '../domain/errors.ts';
import type { UpgradeConfig } from '../upgrade/upgrade-config.ts';
import type { UpgradeService } from '../upgrade/upgrade-service.ts';
import type { UpgradeServices } from '../upgrade/upgrade-services.ts';
import type { WorkflowState } from '../upgrade/workflow-state.ts';
import { announce, type Notifier } from './proposal-notice.ts';
import { ProposalRecords } from './proposal-records.ts';
import { requireExecutable, requireOpen, requirePolicy } from './proposal-rules.ts';

type ScheduledRef = { executionName: string; executionArn: string | null; scheduleName: string | null };

/** Schedules and approvals: a schedule may name an approved proposal; with a policy, a plain config only dry-runs. */
export class ScheduledProposals {
  private readonly records: ProposalRecords;

  constructor(
    private readonly svc: UpgradeServices,
    private readonly upgrades: UpgradeService,
    private readonly notifier: Notifier,
  ) {
    this.records = new ProposalRecords(svc.proposals, svc.clock);
  }

  /**
   * What a new schedule will run: an open proposal (checked again when it fires), or a config, which the approval
   * policy allows only for a dry run.
   */
  async scheduleRequest(given: {
    proposal_id?: string;
    upgrade?: Record<string, unknown>;
  }): Promise<Record<string, unknown>> {
    if (given.proposal_id) {
      const p = await this.records.load(given.proposal_id);
      requireOpen(p, this.svc.clock.now(), 'schedule');
      return {
        proposal_id: p.id,
        target_version: p.config.target_version,
        reason: p.description.slice(0, 500),
      };
    }
    const upgrade = given.upgrade ?? {};
    if (this.svc.approval && upgrade.dry_run !== true)
      throw new ForbiddenError(
        'approval_required',
        'upgrades need approval here: schedule an approved proposal with {name, schedule, proposal_id} (a dry run needs none)',
      );
    return upgrade;
  }

  /**
   * A schedule that names a proposal fired (its first Task): the proposal is marked executed under the execution's
   * name and the upgrade registered as a scheduled one. Not executable any more (expired, rejected, executed,
   * timelocked): a refused entry in the history says why, and nothing else changes. A retried Task finds its own
   * mark and goes on.
   */
  async executeScheduled(ref: ScheduledRef, id: string, fallback: UpgradeConfig): Promise<WorkflowState> {
    const caller: Caller = {
      actor: `scheduler:${ref.scheduleName ?? ref.executionName}`,
      correlationId: ref.executionName,
    };
    const params = { proposal_id: id, schedule_name: ref.scheduleName };
    const run = async () => {
      const found = await this.svc.proposals.get(id);
      try {
        if (!found) throw new NotFoundError(`no proposal ${id}`);
        requirePolicy(this.svc.approval);
        await this.records.mutate(id, (cur, now) => {
          if (cur.executed?.upgrade_id === ref.executionName) return null;
          requireExecutable(cur, now);
          return { ...cur, executed: { by: caller.actor, at: now, upgrade_id: ref.executionName } };
        });
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        const reason = `proposal ${id} is not executable: ${err.message}`;
        await this.upgrades.refuseScheduled(ref, found?.config ?? fallback, reason);
        throw err;
      }
      try {
        const { executionName, executionArn, scheduleName } = ref;
        const state = await this.upgrades.registerScheduled(
          executionName,
          executionArn,
          found.config,
          scheduleName,
          id,
        );
        await announce(this.notifier, 'executed', found, caller.actor);
        return state;
      } catch (err) {
        await this.records.mutate(id, (cur) =>
          cur.executed?.upgrade_id === ref.executionName ? { ...cur, executed: null } : null,
        );
        throw err;
      }
    };
    return audited(
      this.svc.audit,
      this.svc.clock,
      caller,
      'proposal.execute',
      params,
      run,
      (s) => s.upgrade_id,
    );
  }
}
