import { DynamoIntentConversion } from '../../shared/adapters/dynamodb/intent-conversion.ts';
import { DynamoRolloutStore } from '../../shared/adapters/dynamodb/rollout-store.ts';
import { MigrationRegistry } from '../../shared/migration/migration.ts';
import { PROTOCOL_MIGRATIONS } from '../../shared/migration/protocol-migrations.ts';
import { RolloutService } from '../../shared/protocol/rollout-service.ts';
import { type TickReport, tickRollout } from '../../shared/protocol/rollout-tick.ts';
import { coreServices } from './core-services.ts';
import { memoised } from './environment.ts';
import { notifier } from './notifier.ts';

/** The protocol rollout routes' and tick's services: the core plane, the rollouts' records and the announcements. */
export interface ProtocolServices {
  readonly rollouts: RolloutService;
  /** One step of the unfinished rollout (the schedule's work). */
  readonly tick: () => Promise<TickReport | null>;
}

/** Intents read per page of a conversion. */
const PAGE_SIZE = 100;
/** An admission under way when the version changed may still land this long after its cached version expired. */
const ADMISSION_SLACK_MS = 2_000;

export const protocolServices = memoised((env): ProtocolServices => {
  const { config } = env;
  const core = coreServices(env);
  const rollouts = new RolloutService({
    store: new DynamoRolloutStore(core.db, config.tables.control),
    conversion: new DynamoIntentConversion(core.db, config.tables.intents),
    drain: core.drain,
    fence: core.fence,
    registry: new MigrationRegistry(PROTOCOL_MIGRATIONS),
    audit: core.audit,
    clock: core.clock,
    notifier: notifier(env),
    settleMs: config.versionCacheMs + config.fenceClockSkewMs + ADMISSION_SLACK_MS,
  });
  const settings = { pageSize: PAGE_SIZE, budgetMs: config.protocolTickBudgetMs };
  return { rollouts, tick: () => tickRollout(rollouts.d, settings) };
});
