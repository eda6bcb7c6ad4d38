// The settlement contract's behaviour. Every handler takes the JSON the host passed in and
// returns a JSON ContractResult: `{"ok": ...}` or `{"error": "..."}`. Expected failures are
// returned as errors (never traps), so the host reports them as clean messages.

import { addOverflows, Fields } from '../../common/assembly/fields';
// biome-ignore lint/style/useImportType: AssemblyScript has no type-only imports
import { JsonKind, JsonValue, parseJson, quote } from '../../common/assembly/json';
// biome-ignore lint/style/useImportType: AssemblyScript has no type-only imports
import {
  BlockEnv,
  checkAddress,
  checkId,
  errorResult,
  QueryOutcome,
  queryError,
  queryOk,
  ResponseBuilder,
  readEnv,
  readSender,
  readVariant,
} from '../../common/assembly/message';
import { migrationVersionProblem } from '../../common/assembly/semver';
import { buildVersion, CONTRACT_NAME, hasV2Features } from './build-info';
import {
  Config,
  insertId,
  loadConfig,
  loadInflightIds,
  loadMigrationInfo,
  loadSettlement,
  MigrationInfo,
  removeId,
  Settlement,
  STATUS_COMPLETED,
  STATUS_INFLIGHT,
  STATUS_REFUNDED,
  saveConfig,
  saveInflightIds,
  saveMigrationInfo,
  saveSettlement,
  searchIds,
} from './state';

const DEFAULT_LIMIT: u64 = 30;
const MAX_LIMIT: u64 = 100;
const MAX_BPS: u64 = 10000;

/** Optional config values, from `instantiate` or the migrate message's `new_config`. */
class ConfigUpdate {
  admin: string | null = null;
  escrow_contract: string | null = null;
  min_solver_bond: string | null = null;
  hasSlashBps: bool = false;
  base_slash_bps: u64 = 0;
}

function readConfigUpdate(fields: Fields): ConfigUpdate {
  const update = new ConfigUpdate();
  update.admin = fields.optionalString('admin');
  update.escrow_contract = fields.optionalString('escrow_contract');
  update.min_solver_bond = fields.optionalUint128('min_solver_bond');
  update.hasSlashBps = fields.has('base_slash_bps');
  update.base_slash_bps = fields.optionalU64('base_slash_bps', 0);
  return update;
}

function checkConfigUpdate(update: ConfigUpdate): string {
  const admin = update.admin;
  if (admin !== null) {
    const failure = checkAddress('admin', admin);
    if (failure.length > 0) return failure;
  }
  const escrow = update.escrow_contract;
  if (escrow !== null) {
    const failure = checkAddress('escrow_contract', escrow);
    if (failure.length > 0) return failure;
  }
  if (update.base_slash_bps > MAX_BPS) {
    return `Invalid base_slash_bps: ${update.base_slash_bps.toString()} is above ${MAX_BPS.toString()}`;
  }
  return '';
}

function applyConfigUpdate(config: Config, update: ConfigUpdate): void {
  const admin = update.admin;
  if (admin !== null) config.admin = admin;
  const escrow = update.escrow_contract;
  if (escrow !== null) config.escrow_contract = escrow;
  const bond = update.min_solver_bond;
  if (bond !== null) config.min_solver_bond = bond;
  if (update.hasSlashBps) config.base_slash_bps = update.base_slash_bps;
}

// ---------------------------------------------------------------------------------------
// instantiate

export function instantiate(envJson: string, infoJson: string, msgJson: string): string {
  const env = readEnv(envJson);
  if (env.error.length > 0) return errorResult(env.error);
  const sender = readSender(infoJson);
  if (sender === null) return errorResult('Invalid info: expected a sender');
  const parsed = parseJson(msgJson);
  if (parsed.value === null) return errorResult(`Invalid instantiate message: ${parsed.error}`);
  const fields = new Fields(parsed.value, 'instantiate message');
  const update = readConfigUpdate(fields);
  if (!fields.finish()) return errorResult(fields.error);
  const failure = checkConfigUpdate(update);
  if (failure.length > 0) return errorResult(failure);

  const config = new Config();
  config.admin = sender;
  config.version = buildVersion();
  applyConfigUpdate(config, update);
  saveConfig(config, CONTRACT_NAME);
  saveInflightIds([] as string[]);
  return new ResponseBuilder()
    .add('action', 'instantiate')
    .add('admin', config.admin)
    .add('version', config.version)
    .result();
}

// ---------------------------------------------------------------------------------------
// execute

export function execute(envJson: string, infoJson: string, msgJson: string): string {
  const env = readEnv(envJson);
  if (env.error.length > 0) return errorResult(env.error);
  const sender = readSender(infoJson);
  if (sender === null) return errorResult('Invalid info: expected a sender');
  const config = loadConfig();
  if (config === null) return errorResult('Contract is not instantiated: no config found');
  const message = readVariant(msgJson, 'execute message');
  if (message.error.length > 0) return errorResult(message.error);

  if (message.name === 'create_settlement') return createSettlement(env, sender, message.body);
  if (message.name === 'complete_settlement') return completeSettlement(sender, config, message.body);
  if (message.name === 'extend_timeout') return extendTimeout(sender, config, message.body);
  return errorResult(
    "Unknown execute message '" +
      message.name +
      "': expected one of create_settlement, complete_settlement, extend_timeout",
  );
}

function createSettlement(env: BlockEnv, sender: string, body: JsonValue | null): string {
  const fields = new Fields(body, 'create_settlement');
  const id = fields.requiredString('id');
  const userFundsLocked = fields.requiredBool('user_funds_locked');
  const solverFundsLocked = fields.requiredBool('solver_funds_locked');
  const timeoutSeconds = fields.requiredU64('timeout_seconds');
  const amount = fields.optionalUint128('amount');
  if (!fields.finish()) return errorResult(fields.error);
  const idFailure = checkId(id, 'settlement');
  if (idFailure.length > 0) return errorResult(idFailure);
  if (loadSettlement(id) !== null) return errorResult(`Settlement already exists: ${id}`);
  if (addOverflows(env.time, timeoutSeconds))
    return errorResult('Invalid create_settlement: timeout_seconds too large');

  const settlement = new Settlement();
  settlement.id = id;
  settlement.creator = sender;
  settlement.user_funds_locked = userFundsLocked;
  settlement.solver_funds_locked = solverFundsLocked;
  settlement.amount = amount;
  settlement.status = STATUS_INFLIGHT;
  settlement.created_at = env.time;
  settlement.timeout_at = env.time + timeoutSeconds;
  saveSettlement(settlement);
  const ids = loadInflightIds();
  insertId(ids, id);
  saveInflightIds(ids);
  return new ResponseBuilder()
    .add('action', 'create_settlement')
    .add('id', id)
    .add('timeout_at', settlement.timeout_at.toString())
    .result();
}

function completeSettlement(sender: string, config: Config, body: JsonValue | null): string {
  const fields = new Fields(body, 'complete_settlement');
  const id = fields.requiredString('id');
  if (!fields.finish()) return errorResult(fields.error);
  const settlement = loadSettlement(id);
  if (settlement === null) return errorResult(`Settlement not found: ${id}`);
  if (settlement.status !== STATUS_INFLIGHT) {
    return errorResult(`Settlement ${id} is not inflight (status: ${settlement.status})`);
  }
  if (sender !== settlement.creator && sender !== config.admin) {
    return errorResult(`Unauthorized: only the creator or the admin can complete settlement ${id}`);
  }
  settlement.status = STATUS_COMPLETED;
  saveSettlement(settlement);
  const ids = loadInflightIds();
  removeId(ids, id);
  saveInflightIds(ids);
  return new ResponseBuilder().add('action', 'complete_settlement').add('id', id).result();
}

function extendTimeout(sender: string, config: Config, body: JsonValue | null): string {
  const fields = new Fields(body, 'extend_timeout');
  const id = fields.requiredString('id');
  const additional = fields.requiredU64('additional_seconds');
  if (!fields.finish()) return errorResult(fields.error);
  if (sender !== config.admin) return errorResult('Unauthorized: only the admin can extend timeouts');
  if (additional === 0)
    return errorResult('Invalid extend_timeout: additional_seconds must be greater than zero');
  const settlement = loadSettlement(id);
  if (settlement === null) return errorResult(`Settlement not found: ${id}`);
  if (settlement.status !== STATUS_INFLIGHT) {
    return errorResult(`Settlement ${id} is not inflight (status: ${settlement.status})`);
  }
  if (addOverflows(settlement.timeout_at, additional)) {
    return errorResult('Invalid extend_timeout: additional_seconds too large');
  }
  settlement.timeout_at += additional;
  saveSettlement(settlement);
  return new ResponseBuilder()
    .add('action', 'extend_timeout')
    .add('id', id)
    .add('timeout_at', settlement.timeout_at.toString())
    .result();
}

// ---------------------------------------------------------------------------------------
// query

export function query(envJson: string, msgJson: string): QueryOutcome {
  const env = readEnv(envJson);
  if (env.error.length > 0) return queryError(env.error);
  const message = readVariant(msgJson, 'query message');
  if (message.error.length > 0) return queryError(message.error);
  const config = loadConfig();
  if (config === null) return queryError('Contract is not instantiated: no config found');

  if (message.name === 'config') return queryConfig(config, message.body);
  if (message.name === 'settlement') return querySettlement(message.body);
  if (message.name === 'inflight_settlements') return queryInflight(message.body, env, false);
  if (message.name === 'migration_info') return queryMigrationInfo(config, message.body);
  if (hasV2Features() && message.name === 'stuck_settlements') return queryInflight(message.body, env, true);
  const known = hasV2Features()
    ? 'config, settlement, inflight_settlements, migration_info, stuck_settlements'
    : 'config, settlement, inflight_settlements, migration_info';
  return queryError(`Unknown query '${message.name}': expected one of ${known}`);
}

function queryConfig(config: Config, body: JsonValue | null): QueryOutcome {
  const fields = new Fields(body, 'config query');
  if (!fields.finish()) return queryError(fields.error);
  const writer = config.writer();
  if (hasV2Features()) writer.raw('features', '["stuck_settlements_query"]');
  return queryOk(writer.toString());
}

function querySettlement(body: JsonValue | null): QueryOutcome {
  const fields = new Fields(body, 'settlement query');
  const id = fields.requiredString('id');
  if (!fields.finish()) return queryError(fields.error);
  const settlement = loadSettlement(id);
  if (settlement === null) return queryError(`Settlement not found: ${id}`);
  return queryOk(settlement.toJson());
}

/**
 * `inflight_settlements` (and, in v2, `stuck_settlements`: inflight ones whose timeout_at is
 * at or before the block time): a page ordered by id after `start_after`, and the total count.
 */
function queryInflight(body: JsonValue | null, env: BlockEnv, stuckOnly: bool): QueryOutcome {
  const fields = new Fields(body, stuckOnly ? 'stuck_settlements query' : 'inflight_settlements query');
  const startAfter = fields.optionalString('start_after');
  let limit = fields.optionalU64('limit', DEFAULT_LIMIT);
  if (!fields.finish()) return queryError(fields.error);
  if (limit > MAX_LIMIT) limit = MAX_LIMIT;

  const ids = loadInflightIds();
  const page: string[] = [];
  let count: u64 = 0;
  if (!stuckOnly) {
    count = <u64>ids.length;
    let at = startAfter === null ? 0 : searchIds(ids, startAfter, false);
    while (at < ids.length && <u64>page.length < limit) {
      page.push(mustLoad(ids[at]).toJson());
      at++;
    }
  } else {
    for (let i = 0; i < ids.length; i++) {
      const settlement = mustLoad(ids[i]);
      if (settlement.timeout_at > env.time) continue;
      count++;
      if (startAfter !== null && settlement.id <= startAfter) continue;
      if (<u64>page.length < limit) page.push(settlement.toJson());
    }
  }
  return queryOk(`{"settlements":[${page.join(',')}],"count":${count.toString()}}`);
}

function mustLoad(id: string): Settlement {
  const settlement = loadSettlement(id);
  if (settlement === null) throw new Error(`inflight index names a missing settlement: ${id}`);
  return settlement;
}

/** Before the first migration: current_version is the config's version, the rest null. */
function queryMigrationInfo(config: Config, body: JsonValue | null): QueryOutcome {
  const fields = new Fields(body, 'migration_info query');
  if (!fields.finish()) return queryError(fields.error);
  const info = loadMigrationInfo();
  if (info !== null) return queryOk(info.toJson());
  return queryOk(
    '{"previous_version":null,"current_version":' +
      quote(config.version) +
      ',"migrated_at":null,"preserved_inflight_count":null}',
  );
}

// ---------------------------------------------------------------------------------------
// migrate

const STUCK_PRESERVE: i32 = 0;
const STUCK_REFUND_AND_CANCEL: i32 = 1;
const STUCK_EXTEND_TIMEOUT: i32 = 2;

class MigrationOptions {
  preserveInflight: bool = true;
  stuckAction: i32 = STUCK_PRESERVE;
  stuckExtendSeconds: u64 = 0;
  extendAllSeconds: u64 = 0;
  update: ConfigUpdate = new ConfigUpdate();
  error: string = '';
}

const STUCK_ACTION_HELP =
  'expected "preserve", "refund_and_cancel" or {"extend_timeout": {"additional_seconds": <seconds>}}';

function readMigrationOptions(value: JsonValue | null): MigrationOptions {
  const options = new MigrationOptions();
  if (value === null) return options;
  const fields = new Fields(value, 'migrate message config');
  options.preserveInflight = fields.optionalBool('preserve_inflight', true);
  const action = fields.member('stuck_settlement_action');
  options.extendAllSeconds = fields.optionalU64('extend_timeout_secs', 0);
  const newConfig = fields.member('new_config');
  if (!fields.finish()) {
    options.error = fields.error;
    return options;
  }
  if (action !== null) {
    if (action.kind === JsonKind.String && action.text === 'preserve') {
      options.stuckAction = STUCK_PRESERVE;
    } else if (
      action.kind === JsonKind.String &&
      (action.text === 'refund_and_cancel' || action.text === 'refund_and_fail')
    ) {
      options.stuckAction = STUCK_REFUND_AND_CANCEL;
    } else if (
      action.kind === JsonKind.Object &&
      action.keys.length === 1 &&
      action.keys[0] === 'extend_timeout'
    ) {
      const extend = new Fields(action.items[0], 'stuck_settlement_action extend_timeout');
      options.stuckAction = STUCK_EXTEND_TIMEOUT;
      options.stuckExtendSeconds = extend.requiredU64('additional_seconds');
      if (!extend.finish()) {
        options.error = extend.error;
        return options;
      }
    } else {
      options.error = `Invalid stuck_settlement_action: ${STUCK_ACTION_HELP}`;
      return options;
    }
  }
  if (newConfig !== null) {
    const updateFields = new Fields(newConfig, 'new_config');
    options.update = readConfigUpdate(updateFields);
    if (!updateFields.finish()) {
      options.error = updateFields.error;
      return options;
    }
    options.error = checkConfigUpdate(options.update);
  }
  return options;
}

export function migrate(envJson: string, msgJson: string): string {
  const env = readEnv(envJson);
  if (env.error.length > 0) return errorResult(env.error);
  const parsed = parseJson(msgJson);
  if (parsed.value === null) return errorResult(`Invalid migrate message: ${parsed.error}`);
  const fields = new Fields(parsed.value, 'migrate message');
  const newVersionText = fields.requiredString('new_version');
  const rollback = fields.optionalBool('rollback', false);
  const configValue = fields.member('config');
  if (!fields.finish()) return errorResult(fields.error);
  const options = readMigrationOptions(configValue);
  if (options.error.length > 0) return errorResult(options.error);

  const config = loadConfig();
  if (config === null) return errorResult('Contract is not instantiated: no config found');
  const previousVersion = config.version;
  const versionProblem = migrationVersionProblem(newVersionText, previousVersion, rollback);
  if (versionProblem.length > 0) return errorResult(versionProblem);

  const ids = loadInflightIds();
  if (ids.length > 0 && !options.preserveInflight) {
    return errorResult(
      `Inflight settlements exist: ${ids.length.toString()} settlements must complete before migration`,
    );
  }

  // Work out every change first, so that an overflow fails before anything is written.
  const changed: Settlement[] = [];
  const stillInflight: string[] = [];
  let stuck = 0;
  let refunded = 0;
  for (let i = 0; i < ids.length; i++) {
    const settlement = mustLoad(ids[i]);
    let isChanged = false;
    if (settlement.timeout_at <= env.time) {
      stuck++;
      if (options.stuckAction === STUCK_REFUND_AND_CANCEL) {
        settlement.status = STATUS_REFUNDED;
        refunded++;
        changed.push(settlement);
        continue;
      }
      if (options.stuckAction === STUCK_EXTEND_TIMEOUT) {
        if (addOverflows(settlement.timeout_at, options.stuckExtendSeconds)) {
          return errorResult(`Cannot extend the timeout of settlement ${settlement.id}: overflow`);
        }
        settlement.timeout_at += options.stuckExtendSeconds;
        isChanged = options.stuckExtendSeconds > 0;
      }
    }
    if (options.extendAllSeconds > 0) {
      if (addOverflows(settlement.timeout_at, options.extendAllSeconds)) {
        return errorResult(`Cannot extend the timeout of settlement ${settlement.id}: overflow`);
      }
      settlement.timeout_at += options.extendAllSeconds;
      isChanged = true;
    }
    if (isChanged) changed.push(settlement);
    stillInflight.push(settlement.id);
  }

  for (let i = 0; i < changed.length; i++) {
    saveSettlement(changed[i]);
  }
  if (refunded > 0) saveInflightIds(stillInflight);
  applyConfigUpdate(config, options.update);
  config.version = newVersionText;
  saveConfig(config, CONTRACT_NAME);
  const info = new MigrationInfo();
  info.previous_version = previousVersion;
  info.current_version = newVersionText;
  info.migrated_at = env.time;
  info.preserved_inflight_count = <u64>stillInflight.length;
  saveMigrationInfo(info);

  return new ResponseBuilder()
    .add('action', 'migrate')
    .add('from_version', previousVersion)
    .add('to_version', newVersionText)
    .add('rollback', rollback ? 'true' : 'false')
    .add('preserved_inflight', stillInflight.length.toString())
    .add('stuck', stuck.toString())
    .add('refunded', refunded.toString())
    .result();
}
