import { randomBytes } from 'node:crypto';
import { audited, type Caller } from '../domain/audited.ts';
import { ConflictError, ForbiddenError } from '../domain/errors.ts';
import { requireReadableAlarms } from '../upgrade/bake/bake-spec.ts';
import type { UpgradeConfig } from '../upgrade/upgrade-config.ts';
import type { UpgradeRecord } from '../upgrade/upgrade-record.ts';
import { executionName, type UpgradeService } from '../upgrade/upgrade-service.ts';
import type { UpgradeServices } from '../upgrade/upgrade-services.ts';
import { waiverNeeded } from './approval-policy.ts';
import { configSha256 } from './config-hash.ts';
import { type Proposal, type ProposalState, type ProposalView, presentProposal } from './proposal.ts';
import { announce, type Notifier, type ProposalEvent } from './proposal-notice.ts';
import { ProposalRecords } from './proposal-records.ts';
import {
  identityOf,
  requireApprover,
  requireExecutable,
  requireOpen,
  requirePolicy,
} from './proposal-rules.ts';

const proposalId = (now: number) =>
  `prop-${new Date(now).toISOString().replace(/[-:]/g, '').slice(0, 15)}-${randomBytes(3).toString('hex')}`;

/**
 * Upgrade proposals: proposed with an exact config, approved by N distinct approvers over its hash, then a
 * timelock, then executed once. Every call is audited and announced. State is derived from stored times, so a
 * restart changes nothing and no timer has to survive.
 */
export class ProposalService {
  private readonly records: ProposalRecords;

  constructor(
    private readonly svc: UpgradeServices,
    private readonly upgrades: UpgradeService,
    private readonly notifier: Notifier,
  ) {
    this.records = new ProposalRecords(svc.proposals, svc.clock);
  }

  private get clock() {
    return this.svc.clock;
  }

  async propose(caller: Caller, config: UpgradeConfig, description: string): Promise<ProposalView> {
    return this.audit(caller, 'proposal.create', { config, description }, async () => {
      const policy = requirePolicy(this.svc.approval);
      const who = identityOf(caller);
      requireReadableAlarms(config.bake, this.svc.bakeAlarms);
      const now = this.clock.now();
      const p: Proposal = {
        id: proposalId(now),
        description,
        config,
        config_sha256: configSha256(config),
        proposed_by: who,
        proposed_at: now,
        required: policy.threshold,
        waiver_required: waiverNeeded(policy, who),
        timelock_secs: policy.timelockSecs,
        expires_at: now + policy.expirySecs * 1000,
        approvals: [],
        threshold_reached_at: null,
        timelock_waived: false,
        rejected: null,
        cancelled: null,
        executed: null,
        notified: [],
        version: 1,
      };
      if (!(await this.svc.proposals.create(p))) throw new ConflictError('proposal_exists', 'retry');
      await this.announce('proposed', p, who);
      return presentProposal(p, now);
    });
  }

  async get(id: string): Promise<ProposalView> {
    return presentProposal(await this.records.load(id), this.clock.now());
  }

  async list(state: ProposalState | undefined, limit: number): Promise<ProposalView[]> {
    const now = this.clock.now();
    const views = (await this.svc.proposals.list(state ? 500 : limit)).map((p) => presentProposal(p, now));
    return (state ? views.filter((v) => v.state === state) : views).slice(0, limit);
  }

  /** One approval per identity, over the hash the approver reviewed; the N-th starts the timelock. */
  async approve(caller: Caller, id: string, sha256: string, waive: boolean) {
    return this.audit(
      caller,
      'proposal.approve',
      { proposal_id: id, config_sha256: sha256, waive },
      async () => {
        const policy = requirePolicy(this.svc.approval);
        const who = identityOf(caller);
        requireApprover(policy, who);
        const events: ProposalEvent[] = [];
        let counted = false;
        const p = await this.records.mutate(id, (cur, now) => {
          events.length = 0;
          requireOpen(cur, now, 'approve');
          if (sha256 !== cur.config_sha256)
            throw new ConflictError(
              'config_changed',
              `the proposal's config_sha256 is ${cur.config_sha256}, not the ${sha256} you reviewed`,
              { config_sha256: cur.config_sha256, proposal_id: id },
            );
          if (who === cur.proposed_by && !policy.selfApproval)
            throw new ForbiddenError(
              'self_approval',
              'the proposer cannot approve their own proposal: ask another approver',
            );
          const mine = cur.approvals.find((a) => a.by === who);
          counted = !mine;
          if (mine && (mine.waive_timelock || !waive)) return null; // the same identity again: nothing changes
          const approvals = mine
            ? cur.approvals.map((a) => (a.by === who ? { ...a, waive_timelock: true } : a))
            : [...cur.approvals, { by: who, at: now, waive_timelock: waive }];
          const reached = cur.threshold_reached_at ?? (approvals.length >= cur.required ? now : null);
          const waived = approvals.filter((a) => a.waive_timelock).length >= cur.waiver_required;
          if (!mine) events.push('approved');
          if (reached !== null && cur.threshold_reached_at === null) events.push('threshold_reached');
          if (waived && !cur.timelock_waived && reached !== null) events.push('timelock_waived');
          return {
            ...cur,
            approvals,
            threshold_reached_at: reached,
            timelock_waived: waived && reached !== null,
          };
        });
        for (const e of events) await this.announce(e, p, who);
        return { ...presentProposal(p, this.clock.now()), counted };
      },
    );
  }

  /** Any approver's veto: the proposal can never execute. */
  async reject(caller: Caller, id: string, reason: string) {
    return this.audit(caller, 'proposal.reject', { proposal_id: id, reason }, async () => {
      const policy = requirePolicy(this.svc.approval);
      const who = identityOf(caller);
      requireApprover(policy, who);
      const p = await this.records.mutate(id, (cur, now) => {
        requireOpen(cur, now, 'reject');
        return { ...cur, rejected: { by: who, at: now, reason } };
      });
      await this.announce('rejected', p, who);
      return presentProposal(p, this.clock.now());
    });
  }

  /** The proposer or any approver withdraws it. */
  async cancel(caller: Caller, id: string, reason: string | null) {
    return this.audit(caller, 'proposal.cancel', { proposal_id: id, reason }, async () => {
      const policy = requirePolicy(this.svc.approval);
      const who = identityOf(caller);
      const p = await this.records.mutate(id, (cur, now) => {
        if (who !== cur.proposed_by) requireApprover(policy, who);
        requireOpen(cur, now, 'cancel');
        return { ...cur, cancelled: { by: who, at: now, reason } };
      });
      await this.announce('cancelled', p, who);
      return presentProposal(p, this.clock.now());
    });
  }

  /**
   * Starts the upgrade with exactly the approved config. The proposal is marked executed (under the new upgrade's
   * id) before the start, so it runs once; a start refused (another upgrade running, not Active) unmarks it. A
   * crash between the two leaves it marked with no upgrade: executing it again starts that same upgrade.
   */
  async execute(caller: Caller, id: string): Promise<{ proposal: ProposalView; upgrade: UpgradeRecord }> {
    return this.audit(caller, 'proposal.execute', { proposal_id: id }, async () => {
      requirePolicy(this.svc.approval);
      const who = caller.principal ?? caller.actor;
      const found = await this.records.load(id);
      if (found.executed) {
        const existing = await this.svc.upgrades.get(found.executed.upgrade_id);
        if (existing)
          throw new ConflictError(
            'proposal_executed',
            `proposal ${id} was executed already, as upgrade ${existing.id}`,
            { upgrade_id: existing.id },
          );
        return this.start(caller, found, found.executed.upgrade_id);
      }
      // Checked (again, on the fresh read) inside the write: a concurrent execute or veto is seen there.
      const name = executionName(found.config.target_version, this.clock.now());
      const p = await this.records.mutate(id, (cur, now) => {
        requireExecutable(cur, now);
        return { ...cur, executed: { by: who, at: now, upgrade_id: name } };
      });
      return this.start(caller, p, name);
    });
  }

  private async start(caller: Caller, p: Proposal, name: string) {
    try {
      const upgrade = await this.upgrades.start(caller, p.config, { name, proposalId: p.id });
      await this.announce('executed', p, caller.principal ?? caller.actor);
      return { proposal: presentProposal(p, this.clock.now()), upgrade };
    } catch (err) {
      // Not started: the proposal stays executable (the failed start, if any, is in the history).
      await this.records.mutate(p.id, (cur) =>
        cur.executed?.upgrade_id === name ? { ...cur, executed: null } : null,
      );
      throw err;
    }
  }

  private announce(event: ProposalEvent, p: Proposal, by: string | null): Promise<void> {
    return announce(this.notifier, event, p, by);
  }

  private audit<T>(caller: Caller, action: string, params: Record<string, unknown>, run: () => Promise<T>) {
    return audited(this.svc.audit, this.clock, caller, action, params, run, () => `${action} done`);
  }
}
