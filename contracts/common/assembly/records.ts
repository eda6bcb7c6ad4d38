// What every contract here stores the same way: typed stored records (corrupt ones abort),
// the cw2 contract_info, the record of the last migration, and sorted id indexes.
import { Fields } from './fields';
import { ObjectWriter, parseJson, quote } from './json';
import { readString, writeString } from './storage';

/** cw2-compatible `{contract, version}`, readable with a raw query. */
export const CONTRACT_INFO_KEY = 'contract_info';
export const MIGRATION_INFO_KEY = 'migration_info';

/** Parses a stored record; stored state is written by this contract, so a bad record aborts. */
export function storedFields(key: string, json: string): Fields {
  const parsed = parseJson(json);
  if (parsed.value === null) throw new Error(`corrupt state under ${key}: ${parsed.error}`);
  return new Fields(parsed.value, `stored ${key}`);
}

export function checkStored(fields: Fields): void {
  if (!fields.finish()) throw new Error(fields.error);
}

export function saveContractInfo(contractName: string, version: string): void {
  writeString(
    CONTRACT_INFO_KEY,
    new ObjectWriter().str('contract', contractName).str('version', version).toString(),
  );
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

/** A sorted index of ids stored under `key`. */
export function loadIds(key: string): string[] {
  const json = readString(key);
  const ids: string[] = [];
  if (json === null) return ids;
  const parsed = parseJson(json);
  const value = parsed.value;
  if (value === null) {
    throw new Error(`corrupt state under ${key}: ${parsed.error}`);
  }
  for (let i = 0; i < value.items.length; i++) {
    ids.push(value.items[i].text);
  }
  return ids;
}

export function saveIds(key: string, ids: string[]): void {
  const quoted = new Array<string>(ids.length);
  for (let i = 0; i < ids.length; i++) {
    quoted[i] = quote(ids[i]);
  }
  writeString(key, `[${quoted.join(',')}]`);
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
