// The escrow contract's queries: config, one escrow, the locked escrows and (v2) the stuck ones
// paged by id, each solver's bond over its locked escrows paged by solver address, and
// migration_info. Expected failures are returned as errors (never traps).
import { Fields } from '../../common/assembly/fields';
// biome-ignore lint/style/useImportType: AssemblyScript has no type-only imports
import { JsonValue, quote } from '../../common/assembly/json';
// biome-ignore lint/style/useImportType: AssemblyScript has no type-only imports
import {
  BlockEnv,
  QueryOutcome,
  queryError,
  queryOk,
  readEnv,
  readVariant,
} from '../../common/assembly/message';
import { queryMigrationInfo } from '../../common/assembly/migration';
import { CONTRACT_NAME, hasV2Features } from './build-info';
import { addDecimal } from './decimal';
// biome-ignore lint/style/useImportType: AssemblyScript has no type-only imports
import { Config, insertId, loadConfig, loadEscrow, loadLockedIds, mustLoadEscrow, searchIds } from './state';

const DEFAULT_LIMIT: u64 = 30;
const MAX_LIMIT: u64 = 100;

export function query(envJson: string, msgJson: string): QueryOutcome {
  const env = readEnv(envJson);
  if (env.error.length > 0) return queryError(env.error);
  const message = readVariant(msgJson, 'query message');
  if (message.error.length > 0) return queryError(message.error);
  const config = loadConfig();
  if (config === null) return queryError('Contract is not instantiated: no config found');
  if (message.name === 'config') return queryConfig(config, message.body);
  if (message.name === 'escrow') return queryEscrow(message.body);
  if (message.name === 'locked_escrows') return queryLocked(message.body, env, false);
  if (message.name === 'solver_bonds') return querySolverBonds(message.body);
  if (message.name === 'migration_info') return queryMigrationInfo(config.version, message.body);
  if (hasV2Features() && message.name === 'stuck_escrows') return queryLocked(message.body, env, true);
  const known = hasV2Features()
    ? 'config, escrow, locked_escrows, solver_bonds, migration_info, stuck_escrows'
    : 'config, escrow, locked_escrows, solver_bonds, migration_info';
  return queryError(`Unknown query '${message.name}': expected one of ${known}`);
}

function queryConfig(config: Config, body: JsonValue | null): QueryOutcome {
  const fields = new Fields(body, 'config query');
  if (!fields.finish()) return queryError(fields.error);
  const writer = config.writer(CONTRACT_NAME);
  if (hasV2Features()) writer.raw('features', '["stuck_escrows_query"]');
  return queryOk(writer.toString());
}

function queryEscrow(body: JsonValue | null): QueryOutcome {
  const fields = new Fields(body, 'escrow query');
  const id = fields.requiredString('id');
  if (!fields.finish()) return queryError(fields.error);
  const escrow = loadEscrow(id);
  if (escrow === null) return queryError(`Escrow not found: ${id}`);
  return queryOk(escrow.toJson());
}

/** `locked_escrows` (and, in v2, `stuck_escrows`): a page ordered by id after `start_after`, and the total count. */
function queryLocked(body: JsonValue | null, env: BlockEnv, stuckOnly: bool): QueryOutcome {
  const fields = new Fields(body, stuckOnly ? 'stuck_escrows query' : 'locked_escrows query');
  const startAfter = fields.optionalString('start_after');
  let limit = fields.optionalU64('limit', DEFAULT_LIMIT);
  if (!fields.finish()) return queryError(fields.error);
  if (limit > MAX_LIMIT) limit = MAX_LIMIT;
  const ids = loadLockedIds();
  const page: string[] = [];
  let count: u64 = 0;
  for (let i = 0; i < ids.length; i++) {
    const escrow = mustLoadEscrow(ids[i]);
    if (stuckOnly && escrow.timeout_at > env.time) continue;
    count++;
    if (startAfter !== null && escrow.id <= startAfter) continue;
    if (<u64>page.length < limit) page.push(escrow.toJson());
  }
  return queryOk(`{"escrows":[${page.join(',')}],"count":${count.toString()}}`);
}

/** Each solver's bond over its locked escrows (sum and count), ordered by solver address, paged after `start_after`. */
function querySolverBonds(body: JsonValue | null): QueryOutcome {
  const fields = new Fields(body, 'solver_bonds query');
  const startAfter = fields.optionalString('start_after');
  let limit = fields.optionalU64('limit', DEFAULT_LIMIT);
  if (!fields.finish()) return queryError(fields.error);
  if (limit > MAX_LIMIT) limit = MAX_LIMIT;
  const solvers: string[] = [];
  const amounts = new Map<string, string>();
  const counts = new Map<string, u64>();
  const ids = loadLockedIds();
  for (let i = 0; i < ids.length; i++) {
    const escrow = mustLoadEscrow(ids[i]);
    const solver = escrow.solver;
    if (!amounts.has(solver)) {
      insertId(solvers, solver);
      amounts.set(solver, '0');
      counts.set(solver, 0);
    }
    amounts.set(solver, addDecimal(amounts.get(solver), escrow.solver_bond));
    counts.set(solver, counts.get(solver) + 1);
  }
  const page: string[] = [];
  let at = startAfter === null ? 0 : searchIds(solvers, startAfter, false);
  while (at < solvers.length && <u64>page.length < limit) {
    const solver = solvers[at];
    page.push(
      `{"solver":${quote(solver)},"amount":${quote(amounts.get(solver))},"escrows":${counts.get(solver).toString()}}`,
    );
    at++;
  }
  return queryOk(`{"bonds":[${page.join(',')}],"count":${solvers.length.toString()}}`);
}
