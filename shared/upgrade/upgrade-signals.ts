import { audited, type Caller } from '../domain/audited.ts';
import { ConflictError, NotFoundError } from '../domain/errors.ts';
import { recordPatch, writeRecord } from './record-patch.ts';
import type { UpgradeRecord } from './upgrade-record.ts';
import type { UpgradeServices } from './upgrade-services.ts';
import type { WorkflowEngine } from './workflow-engine.ts';

/**
 * What an operator tells a running upgrade: promote its bake, continue after a manual deploy, confirm a governance
 * migration. Each is audited; a wait the engine no longer holds is a 409 `not_waiting` and writes nothing.
 */
export class UpgradeSignals {
  constructor(
    private readonly svc: UpgradeServices,
    private readonly engine: () => WorkflowEngine,
  ) {}

  /** Ends a bake early as a success (the next look at the bake passes it). */
  async promote(caller: Caller, id: string): Promise<{ upgrade_id: string; promoted: true }> {
    return audited(
      this.svc.audit,
      this.svc.clock,
      caller,
      'upgrade.promote',
      { upgrade_id: id },
      async () => {
        const record = await this.svc.upgrades.get(id);
        if (!record) throw new NotFoundError(`no upgrade ${id}`);
        if (record.state !== 'running' || record.bake?.state !== 'baking')
          throw new ConflictError(
            'not_baking',
            `upgrade ${id} is not baking (state ${record.state}, bake ${record.bake?.state ?? 'none'}): only a bake can be promoted`,
          );
        await writeRecord(this.svc.upgrades, id, recordPatch('bake', { bake_promoted_by: caller.actor }));
        return { upgrade_id: id, promoted: true as const };
      },
      () => `bake of ${id} promoted`,
    );
  }

  /**
   * The operator has deployed the backend (manual mode), or finished a maintenance: the workflow goes on to the
   * post-checks. `version` (POST /admin/drain/resume {version}) is the upgrade's own target, or for a maintenance
   * upgrade a new protocol version the operator deployed: its records are then migrated to it first.
   */
  async continueDeploy(
    caller: Caller,
    id: string,
    version: string | null = null,
  ): Promise<{ upgrade_id: string; continued: true; version: string }> {
    return audited(
      this.svc.audit,
      this.svc.clock,
      caller,
      'upgrade.continue',
      { upgrade_id: id, version },
      async () => {
        const record = await this.svc.upgrades.get(id);
        const dep = await this.waitingFor(id, 'a deploy', (r) =>
          r.deployment?.task_token && !r.deployment.continued_by ? r.deployment : null,
        );
        const retarget = record !== null && version !== null && version !== record.to_version;
        if (retarget) this.requireRetarget(record, version);
        // The engine first: only a wait it still holds may be recorded as continued (a restart or a timeout ends it).
        await this.release(id, 'a deploy', dep.task_token, {
          continued_by: caller.actor,
          retarget,
          version: retarget ? version : (record?.to_version ?? null),
        });
        const fresh = (await this.svc.upgrades.get(id))?.deployment ?? dep;
        await writeRecord(
          this.svc.upgrades,
          id,
          recordPatch('deployment', {
            deployment: { ...fresh, continued_by: caller.actor },
            result: null,
          }),
        );
        return { upgrade_id: id, continued: true as const, version: version ?? record?.to_version ?? '' };
      },
      () => `deploy confirmed for ${id}`,
    );
  }

  /** Governance mode: the proposal has migrated the contract; the workflow verifies it on-chain and goes on. */
  async confirmMigration(
    caller: Caller,
    id: string,
    txHash: string,
  ): Promise<{ upgrade_id: string; confirmed: true }> {
    return audited(
      this.svc.audit,
      this.svc.clock,
      caller,
      'upgrade.confirm_migration',
      { upgrade_id: id, tx_hash: txHash },
      async () => {
        const gov = await this.waitingFor(id, 'a governance migration', (r) =>
          r.governance?.task_token && !r.governance.confirmed_by ? r.governance : null,
        );
        await this.release(id, 'a governance migration', gov.task_token, {
          tx_hash: txHash,
          confirmed_by: caller.actor,
        });
        const fresh = (await this.svc.upgrades.get(id))?.governance ?? gov;
        await writeRecord(
          this.svc.upgrades,
          id,
          recordPatch('contract', {
            governance: { ...fresh, tx_hash: txHash, confirmed_by: caller.actor },
          }),
        );
        return { upgrade_id: id, confirmed: true as const };
      },
      () => `governance migration confirmed for ${id}`,
    );
  }

  /**
   * Resuming on another version than the upgrade's: only a maintenance upgrade may (a versioned one resumes on its
   * target), and only along a registered migration path from the version it started on (400 otherwise).
   */
  private requireRetarget(r: UpgradeRecord, version: string): void {
    if (!r.config.maintenance)
      throw new ConflictError(
        'version_mismatch',
        `upgrade ${r.id} resumes on ${r.to_version}, not ${version}: resume without a version (or with ${r.to_version}); to run ${version}, abort and start an upgrade to it`,
        { upgrade_id: r.id, target_version: r.to_version },
      );
    this.svc.registry.path(r.from_version, version); // throws a ValidationError naming the registered versions
  }

  /** The wait (deploy or governance) a running upgrade is in, or a 404/409 that says why there is none. */
  private async waitingFor<W extends { task_token: string | null }>(
    id: string,
    what: string,
    pick: (r: UpgradeRecord) => W | null,
  ): Promise<W & { task_token: string }> {
    const record = await this.svc.upgrades.get(id);
    if (!record) throw new NotFoundError(`no upgrade ${id}`);
    const wait = record.state === 'running' ? pick(record) : null;
    if (!wait?.task_token) {
      throw new ConflictError(
        'not_waiting',
        `upgrade ${id} is not waiting for ${what} (state ${record.state}, step ${record.current_step ?? '-'})`,
      );
    }
    return wait as W & { task_token: string };
  }

  /**
   * Ends the wait in the engine. A token the engine no longer holds (the wait timed out, was aborted, or the
   * process restarted) is a 409 `not_waiting`, and the caller writes nothing.
   */
  private async release(id: string, what: string, token: string, output: unknown): Promise<void> {
    try {
      await this.engine().sendTaskSuccess(token, output);
    } catch (err) {
      if (!(err instanceof NotFoundError || err instanceof ConflictError)) throw err;
      throw new ConflictError(
        'not_waiting',
        `upgrade ${id} is no longer waiting for ${what}: ${err.message}`,
      );
    }
  }
}
