import type { Environment } from '../../lambdas/compose/environment.ts';
import type { RecoveryRequest } from '../../shared/upgrade/workflow-engine.ts';

/**
 * Recoveries in the embedded runtime: the recovery Task's handler (lambdas/workflow/recover-upgrade.ts) run in the
 * background, one at a time per upgrade. Not journalled: an interrupted recovery is started again at the next
 * start, since the upgrade still holds the lock and every step of it is safe to run again.
 */
export class LocalRecoveries {
  private readonly running = new Map<string, Promise<void>>();

  /** `environment`: the one the recovery Task runs in (the engine's); without it, the Task's own. */
  constructor(private readonly environment?: Environment) {}

  async start(request: RecoveryRequest): Promise<void> {
    if (this.running.has(request.upgrade_id)) return;
    const { handler } = await import('../../lambdas/workflow/recover-upgrade.ts');
    const run = this.environment ? handler.withEnvironment(this.environment) : handler;
    const done = run(request)
      .then(() => undefined)
      .catch((err: Error) =>
        console.error(
          `[local] recovery of ${request.upgrade_id} failed: ${err.message} (it runs again at the next start)`,
        ),
      )
      .finally(() => this.running.delete(request.upgrade_id));
    this.running.set(request.upgrade_id, done);
  }

  /** Resolves when the upgrade's recovery (if any) has ended (tests). */
  async finished(upgradeId: string): Promise<void> {
    await this.running.get(upgradeId);
  }
}
