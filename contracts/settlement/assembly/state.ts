// The contract's state: config, settlements keyed by id, the sorted index of inflight
// ids, and (common/assembly/records.ts) the record of the last migration.
import { ObjectWriter } from '../../common/assembly/json';
import { TimedEntry } from '../../common/assembly/migration';
import { checkStored, loadIds, saveContractInfo, saveIds, storedFields } from '../../common/assembly/records';
import { readString, writeString } from '../../common/assembly/storage';

export {
  insertId,
  loadMigrationInfo,
  MigrationInfo,
  removeId,
  saveMigrationInfo,
  searchIds,
} from '../../common/assembly/records';

export const CONFIG_KEY = 'config';
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

export class Settlement extends TimedEntry {
  creator: string = '';
  user_funds_locked: bool = false;
  solver_funds_locked: bool = false;
  amount: string | null = null;
  /** Block time, seconds. */
  created_at: u64 = 0;

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
  saveContractInfo(contractName, config.version);
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

/** The ids of inflight settlements, sorted. */
export function loadInflightIds(): string[] {
  return loadIds(INFLIGHT_INDEX_KEY);
}

export function saveInflightIds(ids: string[]): void {
  saveIds(INFLIGHT_INDEX_KEY, ids);
}
