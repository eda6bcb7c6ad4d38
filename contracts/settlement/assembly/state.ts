// The contract's state: config, settlements keyed by id, the sorted index of inflight
// ids, and the record of the last migration.
import { Fields } from './fields';
import { ObjectWriter, parseJson, quote } from './json';
import { readString, writeString } from './storage';

export const CONFIG_KEY = 'config';
/** cw2-compatible `{contract, version}`, readable with a raw query. */
export const CONTRACT_INFO_KEY = 'contract_info';
export const MIGRATION_INFO_KEY = 'migration_info';
/** JSON array of the ids of inflight settlements, sorted by id. */
export const INFLIGHT_INDEX_KEY = 'inflight_ids';
export const SETTLEMENT_KEY_PREFIX = 'settlement:';

export const STATUS_INFLIGHT = 'inflight';
export const STATUS_COMPLETED = 'completed';
export const STATUS_REFUNDED = 'refunded';

export class Config {
  admin: string = '';
  version: string = '';
  escrow_contract: string | null = null;
  min_solver_bond: string = '0';
  base_slash_bps: u64 = 0;

  writer(): ObjectWriter {
    return new ObjectWriter()
      .str('admin', this.admin)
      .str('version', this.version)
      .strOrNull('escrow_contract', this.escrow_contract)
      .str('min_solver_bond', this.min_solver_bond)
      .u64('base_slash_bps', this.base_slash_bps);
  }
}

export class Settlement {
  id: string = '';
  creator: string = '';
  user_funds_locked: bool = false;
  solver_funds_locked: bool = false;
  amount: string | null = null;
  status: string = STATUS_INFLIGHT;
  /** Block time, seconds. */
  created_at: u64 = 0;
  /** Seconds; the settlement is stuck once block time reaches it while still inflight. */
  timeout_at: u64 = 0;

  toJson(): string {
    return new ObjectWriter()
      .str('id', this.id)
      .str('creator', this.creator)
      .bool('user_funds_locked', this.user_funds_locked)
      .bool('solver_funds_locked', this.solver_funds_locked)
      .strOrNull('amount', this.amount)
      .str('status', this.status)
      .u64('created_at', this.created_at)
      .u64('timeout_at', this.timeout_at)
      .toString();
  }
}

export class MigrationInfo {
  previous_version: string = '';
  current_version: string = '';
  migrated_at: u64 = 0;
  preserved_inflight_count: u64 = 0;

  toJson(): string {
    return new ObjectWriter()
      .str('previous_version', this.previous_version)
      .str('current_version', this.current_version)
      .u64('migrated_at', this.migrated_at)
      .u64('preserved_inflight_count', this.preserved_inflight_count)
      .toString();
  }
}

/** Parses a stored record; stored state is written by this contract, so a bad record aborts. */
function storedFields(key: string, json: string): Fields {
  const parsed = parseJson(json);
  if (parsed.value === null) throw new Error(`corrupt state under ${key}: ${parsed.error}`);
  return new Fields(parsed.value, `stored ${key}`);
}

function checkStored(fields: Fields): void {
  if (!fields.finish()) throw new Error(fields.error);
}

export function loadConfig(): Config | null {
  const json = readString(CONFIG_KEY);
  if (json === null) return null;
  const fields = storedFields(CONFIG_KEY, json);
  const config = new Config();
  config.admin = fields.requiredString('admin');
  config.version = fields.requiredString('version');
  config.escrow_contract = fields.optionalString('escrow_contract');
  config.min_solver_bond = fields.requiredString('min_solver_bond');
  config.base_slash_bps = fields.requiredU64('base_slash_bps');
  checkStored(fields);
  return config;
}

export function saveConfig(config: Config, contractName: string): void {
  writeString(CONFIG_KEY, config.writer().toString());
  writeString(
    CONTRACT_INFO_KEY,
    new ObjectWriter().str('contract', contractName).str('version', config.version).toString(),
  );
}

export function settlementKey(id: string): string {
  return SETTLEMENT_KEY_PREFIX + id;
}

export function loadSettlement(id: string): Settlement | null {
  const key = settlementKey(id);
  const json = readString(key);
  if (json === null) return null;
  const fields = storedFields(key, json);
  const settlement = new Settlement();
  settlement.id = fields.requiredString('id');
  settlement.creator = fields.requiredString('creator');
  settlement.user_funds_locked = fields.requiredBool('user_funds_locked');
  settlement.solver_funds_locked = fields.requiredBool('solver_funds_locked');
  settlement.amount = fields.optionalString('amount');
  settlement.status = fields.requiredString('status');
  settlement.created_at = fields.requiredU64('created_at');
  settlement.timeout_at = fields.requiredU64('timeout_at');
  checkStored(fields);
  return settlement;
}

export function saveSettlement(settlement: Settlement): void {
  writeString(settlementKey(settlement.id), settlement.toJson());
}

export function loadMigrationInfo(): MigrationInfo | null {
  const json = readString(MIGRATION_INFO_KEY);
  if (json === null) return null;
  const fields = storedFields(MIGRATION_INFO_KEY, json);
  const info = new MigrationInfo();
  info.previous_version = fields.requiredString('previous_version');
  info.current_version = fields.requiredString('current_version');
  info.migrated_at = fields.requiredU64('migrated_at');
  info.preserved_inflight_count = fields.requiredU64('preserved_inflight_count');
  checkStored(fields);
  return info;
}

export function saveMigrationInfo(info: MigrationInfo): void {
  writeString(MIGRATION_INFO_KEY, info.toJson());
}

/** The ids of inflight settlements, sorted. */
export function loadInflightIds(): string[] {
  const json = readString(INFLIGHT_INDEX_KEY);
  const ids: string[] = [];
  if (json === null) return ids;
  const parsed = parseJson(json);
  const value = parsed.value;
  if (value === null) {
    throw new Error(`corrupt state under ${INFLIGHT_INDEX_KEY}: ${parsed.error}`);
  }
  for (let i = 0; i < value.items.length; i++) {
    ids.push(value.items[i].text);
  }
  return ids;
}

export function saveInflightIds(ids: string[]): void {
  const quoted = new Array<string>(ids.length);
  for (let i = 0; i < ids.length; i++) {
    quoted[i] = quote(ids[i]);
  }
  writeString(INFLIGHT_INDEX_KEY, `[${quoted.join(',')}]`);
}

/** The first position whose id is greater than `id` (or, with `inclusive`, not less than it). */
export function searchIds(ids: string[], id: string, inclusive: bool): i32 {
  let low = 0;
  let high = ids.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const candidate = ids[middle];
    const before = inclusive ? candidate < id : candidate <= id;
    if (before) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Adds `id` to the sorted index (no-op when present). */
export function insertId(ids: string[], id: string): void {
  const at = searchIds(ids, id, true);
  if (at < ids.length && ids[at] === id) return;
  ids.push(id);
  for (let i = ids.length - 1; i > at; i--) {
    ids[i] = ids[i - 1];
  }
  ids[at] = id;
}

/** Removes `id` from the sorted index (no-op when absent). */
export function removeId(ids: string[], id: string): void {
  const at = searchIds(ids, id, true);
  if (at < ids.length && ids[at] === id) ids.splice(at, 1);
}
