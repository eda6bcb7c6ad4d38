// What both contracts' `migrate` share: the message's envelope, the stuck action, the plan of what changes (worked
// out before anything is written), and the migration_info query. Each contract keeps its own entries (settlements,
// escrows) and config; they meet here as a TimedEntry.
import { addOverflows, Fields } from './fields';
// biome-ignore lint/style/useImportType: AssemblyScript has no type-only imports
import { JsonKind, JsonValue, parseJson, quote } from './json';
// biome-ignore lint/style/useImportType: AssemblyScript has no type-only imports
import { BlockEnv, QueryOutcome, queryError, queryOk, readEnv } from './message';
import { loadMigrationInfo } from './records';

/** An inflight entry of a contract (a settlement, an escrow): what a migration may refund or extend. */
export abstract class TimedEntry {
  id: string = '';
  status: string = '';
  /** Seconds; stuck once block time reaches it while still inflight. */
  timeout_at: u64 = 0;
}

export const STUCK_PRESERVE: i32 = 0;
export const STUCK_REFUND: i32 = 1;
export const STUCK_EXTEND_TIMEOUT: i32 = 2;

/** The migrate message: `{"new_version", "config"?, "rollback"?}` with the env it runs in. */
export class MigrateMessage {
  env: BlockEnv = new BlockEnv();
  newVersion: string = '';
  rollback: bool = false;
  config: JsonValue | null = null;
  error: string = '';
}

export function readMigrateMessage(envJson: string, msgJson: string): MigrateMessage {
  const m = new MigrateMessage();
  m.env = readEnv(envJson);
  if (m.env.error.length > 0) {
    m.error = m.env.error;
    return m;
  }
  const parsed = parseJson(msgJson);
  if (parsed.value === null) {
    m.error = `Invalid migrate message: ${parsed.error}`;
    return m;
  }
  const fields = new Fields(parsed.value, 'migrate message');
  m.newVersion = fields.requiredString('new_version');
  m.rollback = fields.optionalBool('rollback', false);
  m.config = fields.member('config');
  if (!fields.finish()) m.error = fields.error;
  return m;
}

/** What to do with stuck entries, read from the migrate config's `<field>`. */
export class StuckAction {
  action: i32 = STUCK_PRESERVE;
  extendSeconds: u64 = 0;
  error: string = '';
}

/**
 * `"preserve"`, a refund (any of `refundNames`), or `{"extend_timeout": {"additional_seconds"}}`; absent: preserve.
 */
export function readStuckAction(value: JsonValue | null, field: string, refundNames: string[]): StuckAction {
  const out = new StuckAction();
  if (value === null) return out;
  if (value.kind === JsonKind.String && value.text === 'preserve') return out;
  if (value.kind === JsonKind.String && refundNames.includes(value.text)) {
    out.action = STUCK_REFUND;
    return out;
  }
  if (value.kind === JsonKind.Object && value.keys.length === 1 && value.keys[0] === 'extend_timeout') {
    const extend = new Fields(value.items[0], `${field} extend_timeout`);
    out.action = STUCK_EXTEND_TIMEOUT;
    out.extendSeconds = extend.requiredU64('additional_seconds');
    if (!extend.finish()) out.error = extend.error;
    return out;
  }
  out.error = `Invalid ${field}: expected "preserve", ${refundNames.map<string>((n) => `"${n}"`).join(', ')} or {"extend_timeout": {"additional_seconds": <seconds>}}`;
  return out;
}

/** What a migration changes in the entries, worked out before anything is written. */
export class MigrationPlan<T extends TimedEntry> {
  changed: T[] = [];
  stillInflight: string[] = [];
  stuck: i32 = 0;
  refunded: i32 = 0;
  error: string = '';
}

/**
 * Stuck entries (timeout_at <= now) are refunded (status `refundedStatus`, no longer inflight), extended, or kept;
 * then `extendAllSeconds` is added to every entry still inflight. A u64 overflow is an error, before any write.
 */
export function planMigration<T extends TimedEntry>(
  entries: T[],
  now: u64,
  stuck: StuckAction,
  extendAllSeconds: u64,
  refundedStatus: string,
  what: string,
): MigrationPlan<T> {
  const plan = new MigrationPlan<T>();
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    let isChanged = false;
    if (entry.timeout_at <= now) {
      plan.stuck++;
      if (stuck.action === STUCK_REFUND) {
        entry.status = refundedStatus;
        plan.refunded++;
        plan.changed.push(entry);
        continue;
      }
      if (stuck.action === STUCK_EXTEND_TIMEOUT) {
        if (addOverflows(entry.timeout_at, stuck.extendSeconds)) {
          plan.error = `Cannot extend the timeout of ${what} ${entry.id}: overflow`;
          return plan;
        }
        entry.timeout_at += stuck.extendSeconds;
        isChanged = stuck.extendSeconds > 0;
      }
    }
    if (extendAllSeconds > 0) {
      if (addOverflows(entry.timeout_at, extendAllSeconds)) {
        plan.error = `Cannot extend the timeout of ${what} ${entry.id}: overflow`;
        return plan;
      }
      entry.timeout_at += extendAllSeconds;
      isChanged = true;
    }
    if (isChanged) plan.changed.push(entry);
    plan.stillInflight.push(entry.id);
  }
  return plan;
}

/** `migration_info {}`: the last migration, or before any, current_version from the config and the rest null. */
export function queryMigrationInfo(configVersion: string, body: JsonValue | null): QueryOutcome {
  const fields = new Fields(body, 'migration_info query');
  if (!fields.finish()) return queryError(fields.error);
  const info = loadMigrationInfo();
  if (info !== null) return queryOk(info.toJson());
  return queryOk(
    `{"previous_version":null,"current_version":${quote(configVersion)},"migrated_at":null,"preserved_inflight_count":null}`,
  );
}
