// The escrow contract's state: config, escrows keyed by id and the sorted index of locked
// ids; the migration record and the index helpers are common/assembly/records.ts.
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
/** JSON array of the ids of locked escrows, sorted by id. */
export const LOCKED_INDEX_KEY = 'locked_ids';
export const ESCROW_KEY_PREFIX = 'escrow:';

export const STATUS_LOCKED = 'locked';
export const STATUS_RELEASED = 'released';
export const STATUS_REFUNDED = 'refunded';

export class Config {
  admin: string = '';
  version: string = '';
  settlement_contract: string | null = null;
  denom: string = 'uatom';

  writer(contractName: string): ObjectWriter {
    return new ObjectWriter()
      .str('contract', contractName)
      .str('admin', this.admin)
      .str('version', this.version)
      .strOrNull('settlement_contract', this.settlement_contract)
      .str('denom', this.denom);
  }
}

/** One intent's locked funds: the user's amount and the solver's bond, until released or refunded. */
export class Escrow extends TimedEntry {
  creator: string = '';
  user: string = '';
  solver: string = '';
  user_amount: string = '0';
  solver_bond: string = '0';
  /** Block time, seconds. */
  created_at: u64 = 0;

  toJson(): string {
    return new ObjectWriter()
      .str('id', this.id)
      .str('creator', this.creator)
      .str('user', this.user)
      .str('solver', this.solver)
      .str('user_amount', this.user_amount)
      .str('solver_bond', this.solver_bond)
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
  fields.requiredString('contract');
  config.admin = fields.requiredString('admin');
  config.version = fields.requiredString('version');
  config.settlement_contract = fields.optionalString('settlement_contract');
  config.denom = fields.requiredString('denom');
  checkStored(fields);
  return config;
}

export function saveConfig(config: Config, contractName: string): void {
  writeString(CONFIG_KEY, config.writer(contractName).toString());
  saveContractInfo(contractName, config.version);
}

export function escrowKey(id: string): string {
  return ESCROW_KEY_PREFIX + id;
}

export function loadEscrow(id: string): Escrow | null {
  const key = escrowKey(id);
  const json = readString(key);
  if (json === null) return null;
  const fields = storedFields(key, json);
  const escrow = new Escrow();
  escrow.id = fields.requiredString('id');
  escrow.creator = fields.requiredString('creator');
  escrow.user = fields.requiredString('user');
  escrow.solver = fields.requiredString('solver');
  escrow.user_amount = fields.requiredString('user_amount');
  escrow.solver_bond = fields.requiredString('solver_bond');
  escrow.status = fields.requiredString('status');
  escrow.created_at = fields.requiredU64('created_at');
  escrow.timeout_at = fields.requiredU64('timeout_at');
  checkStored(fields);
  return escrow;
}

/** An escrow the locked index names: its absence is corrupt state (a trap, not an error). */
export function mustLoadEscrow(id: string): Escrow {
  const escrow = loadEscrow(id);
  if (escrow === null) throw new Error(`locked index names a missing escrow: ${id}`);
  return escrow;
}

export function saveEscrow(escrow: Escrow): void {
  writeString(escrowKey(escrow.id), escrow.toJson());
}

/** The ids of locked escrows, sorted. */
export function loadLockedIds(): string[] {
  return loadIds(LOCKED_INDEX_KEY);
}

export function saveLockedIds(ids: string[]): void {
  saveIds(LOCKED_INDEX_KEY, ids);
}
