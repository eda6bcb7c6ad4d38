// The escrow contract's behaviour: each intent's locked user funds and solver bond, released
// to the solver or refunded to the user, and a migrate that preserves, refunds or extends stuck
// escrows (the queries: queries.ts). Expected failures are returned as errors (never traps), as in
// the settlement contract.
import { addOverflows, Fields } from '../../common/assembly/fields';
// biome-ignore lint/style/useImportType: AssemblyScript has no type-only imports
import {
  IbcTransferOptions,
  ibcTransferMessage,
  readIbcTransferOptions,
  timeoutNanos,
} from '../../common/assembly/ibc';
// biome-ignore lint/style/useImportType: AssemblyScript has no type-only imports
import { JsonValue, parseJson } from '../../common/assembly/json';
// biome-ignore lint/style/useImportType: AssemblyScript has no type-only imports
import {
  BlockEnv,
  checkAddress,
  checkId,
  errorResult,
  ResponseBuilder,
  readEnv,
  readSender,
  readVariant,
} from '../../common/assembly/message';
import {
  planMigration,
  readMigrateMessage,
  readStuckAction,
  StuckAction,
} from '../../common/assembly/migration';
import { migrationVersionProblem } from '../../common/assembly/semver';
import { buildVersion, CONTRACT_NAME } from './build-info';
import {
  Config,
  Escrow,
  insertId,
  loadConfig,
  loadEscrow,
  loadLockedIds,
  MigrationInfo,
  mustLoadEscrow,
  removeId,
  STATUS_LOCKED,
  STATUS_REFUNDED,
  STATUS_RELEASED,
  saveConfig,
  saveEscrow,
  saveLockedIds,
  saveMigrationInfo,
} from './state';

/** Optional config values, from `instantiate` or the migrate message's `new_config`. */
class ConfigUpdate {
  admin: string | null = null;
  settlement_contract: string | null = null;
  denom: string | null = null;
}

function readConfigUpdate(fields: Fields): ConfigUpdate {
  const update = new ConfigUpdate();
  update.admin = fields.optionalString('admin');
  update.settlement_contract = fields.optionalString('settlement_contract');
  update.denom = fields.optionalString('denom');
  return update;
}

function checkConfigUpdate(update: ConfigUpdate): string {
  const admin = update.admin;
  if (admin !== null) {
    const failure = checkAddress('admin', admin);
    if (failure.length > 0) return failure;
  }
  const settlement = update.settlement_contract;
  if (settlement !== null) {
    const failure = checkAddress('settlement_contract', settlement);
    if (failure.length > 0) return failure;
  }
  const denom = update.denom;
  if (denom !== null && (denom.length < 3 || denom.length > 128))
    return 'Invalid denom: must be 3 to 128 characters';
  return '';
}

function applyConfigUpdate(config: Config, update: ConfigUpdate): void {
  const admin = update.admin;
  if (admin !== null) config.admin = admin;
  const settlement = update.settlement_contract;
  if (settlement !== null) config.settlement_contract = settlement;
  const denom = update.denom;
  if (denom !== null) config.denom = denom;
}

// ---------------------------------------------------------------------------------------
// instantiate and execute

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
  saveLockedIds([] as string[]);
  return new ResponseBuilder()
    .add('action', 'instantiate')
    .add('admin', config.admin)
    .add('version', config.version)
    .result();
}

export function execute(envJson: string, infoJson: string, msgJson: string): string {
  const env = readEnv(envJson);
  if (env.error.length > 0) return errorResult(env.error);
  const sender = readSender(infoJson);
  if (sender === null) return errorResult('Invalid info: expected a sender');
  const config = loadConfig();
  if (config === null) return errorResult('Contract is not instantiated: no config found');
  const message = readVariant(msgJson, 'execute message');
  if (message.error.length > 0) return errorResult(message.error);
  if (message.name === 'lock') return lock(env, sender, message.body);
  if (message.name === 'release') return close(env, sender, config, message.body, 'release', STATUS_RELEASED);
  if (message.name === 'refund') return close(env, sender, config, message.body, 'refund', STATUS_REFUNDED);
  if (message.name === 'extend_timeout') return extendTimeout(sender, config, message.body);
  return errorResult(
    `Unknown execute message '${message.name}': expected one of lock, release, refund, extend_timeout`,
  );
}

function lock(env: BlockEnv, sender: string, body: JsonValue | null): string {
  const fields = new Fields(body, 'lock');
  const id = fields.requiredString('id');
  const user = fields.requiredString('user');
  const solver = fields.requiredString('solver');
  const userAmount = fields.optionalUint128('user_amount');
  const solverBond = fields.optionalUint128('solver_bond');
  const timeoutSeconds = fields.requiredU64('timeout_seconds');
  if (!fields.finish()) return errorResult(fields.error);
  if (userAmount === null) return errorResult("Invalid lock: missing field 'user_amount'");
  if (solverBond === null) return errorResult("Invalid lock: missing field 'solver_bond'");
  const idFailure = checkId(id, 'escrow');
  if (idFailure.length > 0) return errorResult(idFailure);
  const userFailure = checkAddress('user', user);
  if (userFailure.length > 0) return errorResult(userFailure);
  const solverFailure = checkAddress('solver', solver);
  if (solverFailure.length > 0) return errorResult(solverFailure);
  if (loadEscrow(id) !== null) return errorResult(`Escrow already exists: ${id}`);
  if (addOverflows(env.time, timeoutSeconds)) return errorResult('Invalid lock: timeout_seconds too large');
  const escrow = new Escrow();
  escrow.id = id;
  escrow.creator = sender;
  escrow.user = user;
  escrow.solver = solver;
  escrow.user_amount = userAmount;
  escrow.solver_bond = solverBond;
  escrow.status = STATUS_LOCKED;
  escrow.created_at = env.time;
  escrow.timeout_at = env.time + timeoutSeconds;
  saveEscrow(escrow);
  const ids = loadLockedIds();
  insertId(ids, id);
  saveLockedIds(ids);
  return new ResponseBuilder()
    .add('action', 'lock')
    .add('id', id)
    .add('timeout_at', escrow.timeout_at.toString())
    .result();
}

/**
 * `release` (the funds go to the solver) or `refund` (back to the user): the creator or the admin, once.
 * A release with `ibc` sends the user amount to the solver's address on the other chain as an
 * `IbcMsg::Transfer` in the config's denom, timing out `timeout_seconds` after the block time.
 */
function close(
  env: BlockEnv,
  sender: string,
  config: Config,
  body: JsonValue | null,
  action: string,
  status: string,
): string {
  const fields = new Fields(body, action);
  const id = fields.requiredString('id');
  const ibc = status === STATUS_RELEASED ? fields.member('ibc') : null;
  if (!fields.finish()) return errorResult(fields.error);
  let options: IbcTransferOptions | null = null;
  if (ibc !== null) options = readIbcTransferOptions(ibc, 'release ibc');
  let nanos: u64 = 0;
  if (options !== null) {
    if (options.error.length > 0) return errorResult(options.error);
    nanos = timeoutNanos(env.time, options.timeout_seconds);
    if (nanos === 0) return errorResult('Invalid release ibc: timeout_seconds too large');
  }
  const escrow = loadEscrow(id);
  if (escrow === null) return errorResult(`Escrow not found: ${id}`);
  if (escrow.status !== STATUS_LOCKED)
    return errorResult(`Escrow ${id} is not locked (status: ${escrow.status})`);
  if (sender !== escrow.creator && sender !== config.admin)
    return errorResult(`Unauthorized: only the creator or the admin can ${action} escrow ${id}`);
  escrow.status = status;
  saveEscrow(escrow);
  const ids = loadLockedIds();
  removeId(ids, id);
  saveLockedIds(ids);
  const response = new ResponseBuilder()
    .add('action', action)
    .add('id', id)
    .add('to', status === STATUS_RELEASED ? escrow.solver : escrow.user);
  if (options !== null) {
    response
      .add('ibc_channel', options.channel_id)
      .add('ibc_receiver', options.to_address)
      .message(ibcTransferMessage(options, config.denom, escrow.user_amount, nanos));
  }
  return response.result();
}

function extendTimeout(sender: string, config: Config, body: JsonValue | null): string {
  const fields = new Fields(body, 'extend_timeout');
  const id = fields.requiredString('id');
  const additional = fields.requiredU64('additional_seconds');
  if (!fields.finish()) return errorResult(fields.error);
  if (sender !== config.admin) return errorResult('Unauthorized: only the admin can extend timeouts');
  if (additional === 0)
    return errorResult('Invalid extend_timeout: additional_seconds must be greater than zero');
  const escrow = loadEscrow(id);
  if (escrow === null) return errorResult(`Escrow not found: ${id}`);
  if (escrow.status !== STATUS_LOCKED)
    return errorResult(`Escrow ${id} is not locked (status: ${escrow.status})`);
  if (addOverflows(escrow.timeout_at, additional))
    return errorResult('Invalid extend_timeout: additional_seconds too large');
  escrow.timeout_at += additional;
  saveEscrow(escrow);
  return new ResponseBuilder()
    .add('action', 'extend_timeout')
    .add('id', id)
    .add('timeout_at', escrow.timeout_at.toString())
    .result();
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
  const action = fields.member('stuck_escrow_action');
  options.extendAllSeconds = fields.optionalU64('extend_timeout_secs', 0);
  const newConfig = fields.member('new_config');
  if (!fields.finish()) {
    options.error = fields.error;
    return options;
  }
  options.stuck = readStuckAction(action, 'stuck_escrow_action', ['refund']);
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
  const ids = loadLockedIds();
  if (ids.length > 0 && !options.preserveInflight)
    return errorResult(
      `Locked escrows exist: ${ids.length.toString()} escrows must be released or refunded before migration`,
    );
  const entries: Escrow[] = [];
  for (let i = 0; i < ids.length; i++) entries.push(mustLoadEscrow(ids[i]));
  const plan = planMigration<Escrow>(
    entries,
    message.env.time,
    options.stuck,
    options.extendAllSeconds,
    STATUS_REFUNDED,
    'escrow',
  );
  if (plan.error.length > 0) return errorResult(plan.error);

  for (let i = 0; i < plan.changed.length; i++) saveEscrow(plan.changed[i]);
  if (plan.refunded > 0) saveLockedIds(plan.stillInflight);
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
