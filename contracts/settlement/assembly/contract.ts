// The settlement contract's behaviour. Every handler takes the JSON the host passed in and
// returns a JSON ContractResult: `{"ok": ...}` or `{"error": "..."}`. Expected failures are
// returned as errors (never traps), so the host reports them as clean messages.

import { addOverflows, Fields } from '../../common/assembly/fields';
// biome-ignore lint/style/useImportType: AssemblyScript has no type-only imports
import { JsonValue, parseJson } from '../../common/assembly/json';
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
import {
  planMigration,
  queryMigrationInfo,
  readMigrateMessage,
  readStuckAction,
  StuckAction,
} from '../../common/assembly/migration';
import { migrationVersionProblem } from '../../common/assembly/semver';
import { buildVersion, CONTRACT_NAME, hasV2Features } from './build-info';
import {
  Config,
  insertId,
  loadConfig,
  loadInflightIds,
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
  if (message.name === 'migration_info') return queryMigrationInfo(config.version, message.body);
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

// ---------------------------------------------------------------------------------------
// migrate (the envelope, the stuck action and the plan: common/assembly/migration.ts)

class MigrationOptions {
  preserveInflight: bool = true;
  stuck: StuckAction = new StuckAction();
  extendAllSeconds: u64 = 0;
  update: ConfigUpdate = new ConfigUpdate();
  error: string = '';
}

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
  options.stuck = readStuckAction(action, 'stuck_settlement_action', [
    'refund_and_cancel',
    'refund_and_fail',
  ]);
  options.error = options.stuck.error;
  if (options.error.length === 0 && newConfig !== null) {
    const updateFields = new Fields(newConfig, 'new_config');
    options.update = readConfigUpdate(updateFields);
    options.error = updateFields.finish() ? checkConfigUpdate(options.update) : updateFields.error;
  }
  return options;
}

export function migrate(envJson: string, msgJson: string): string {
  const message = readMigrateMessage(envJson, msgJson);
  if (message.error.length > 0) return errorResult(message.error);
  const options = readMigrationOptions(message.config);
  if (options.error.length > 0) return errorResult(options.error);
  const config = loadConfig();
  if (config === null) return errorResult('Contract is not instantiated: no config found');
  const previousVersion = config.version;
  const versionProblem = migrationVersionProblem(message.newVersion, previousVersion, message.rollback);
  if (versionProblem.length > 0) return errorResult(versionProblem);
  const ids = loadInflightIds();
  if (ids.length > 0 && !options.preserveInflight)
    return errorResult(
      `Inflight settlements exist: ${ids.length.toString()} settlements must complete before migration`,
    );
  const entries: Settlement[] = [];
  for (let i = 0; i < ids.length; i++) entries.push(mustLoad(ids[i]));
  const plan = planMigration<Settlement>(
    entries,
    message.env.time,
    options.stuck,
    options.extendAllSeconds,
    STATUS_REFUNDED,
    'settlement',
  );
  if (plan.error.length > 0) return errorResult(plan.error);

  for (let i = 0; i < plan.changed.length; i++) saveSettlement(plan.changed[i]);
  if (plan.refunded > 0) saveInflightIds(plan.stillInflight);
  applyConfigUpdate(config, options.update);
  config.version = message.newVersion;
  saveConfig(config, CONTRACT_NAME);
  const info = new MigrationInfo();
  info.previous_version = previousVersion;
  info.current_version = message.newVersion;
  info.migrated_at = message.env.time;
  info.preserved_inflight_count = <u64>plan.stillInflight.length;
  saveMigrationInfo(info);
  return new ResponseBuilder()
    .add('action', 'migrate')
    .add('from_version', previousVersion)
    .add('to_version', message.newVersion)
    .add('rollback', message.rollback ? 'true' : 'false')
    .add('preserved_inflight', plan.stillInflight.length.toString())
    .add('stuck', plan.stuck.toString())
    .add('refunded', plan.refunded.toString())
    .result();
}
