import type { UpgradeRecord, UpgradeStore } from './upgrade-record.ts';

/**
 * The named changes a run's record goes through, and the fields each may set. A step or a signal changes the
 * record only through one of these, written by writeRecord: a field set outside its patch's list does not compile.
 * A workflow step returns its patches with its output (withPatches) and the Task wrapper writes them once the step
 * has succeeded; a step whose change must be durable before its next action (a contract's state before its
 * migration, migration progress, each replica's deployment, a wait's instructions) writes it through writeRecord
 * at that point, and a signal from an operator writes its own.
 */
const PATCH_FIELDS = {
  /** Where the workflow is, as the status shows it. */
  progress: ['current_step', 'progress_pct', 'result'],
  /** The execution behind the record, an operator's abort or force, and a recovery under way. */
  execution: ['execution_arn', 'schedule_name', 'abort_requested', 'force_requested', 'current_step'],
  /** How the run ended (or failed to start). */
  outcome: ['state', 'finished_at', 'error', 'result', 'progress_pct'],
  /** A checkpoint taken (before the migration, or before a bake's rollback). */
  checkpoint: ['checkpoint_id', 'bake_checkpoint_id', 'progress_pct'],
  /** The record migration's progress. */
  migration: ['migration_progress', 'records_migrated', 'progress_pct'],
  /** The contracts' migrations, their rollback targets and a governance wait. */
  contract: ['contracts_before', 'contract_migrations', 'governance', 'result', 'current_step'],
  /** The backend deployment and its wait for an operator. */
  deployment: ['deployment', 'current_step', 'error', 'result'],
  /** A maintenance upgrade resumed by its operator on a new protocol version. */
  target: ['to_version', 'config'],
  /** The bake after resume. */
  bake: ['bake', 'bake_promoted_by', 'progress_pct'],
  /** The on-chain verification of the checkpointed IBC packets. */
  ibc: ['ibc_verification'],
} as const satisfies Record<string, readonly (keyof UpgradeRecord)[]>;

/** The name of a kind of change to a run's record. */
export type PatchKind = keyof typeof PATCH_FIELDS;

/** The fields a patch of kind K may set. */
export type PatchFields<K extends PatchKind> = Partial<Pick<UpgradeRecord, (typeof PATCH_FIELDS)[K][number]>>;

/** One typed change to a run's record: a discriminated union on `kind`. */
export type RecordPatch<K extends PatchKind = PatchKind> = {
  [P in K]: { readonly kind: P; readonly set: PatchFields<P> };
}[K];

/** A patch of kind `kind` (its fields are checked against the kind at compile time). */
export const recordPatch = <K extends PatchKind>(kind: K, set: PatchFields<K>): RecordPatch<K> =>
  ({ kind, set }) as RecordPatch<K>;

/**
 * The one writer of a run's record: applies `patch` to record `id`. A field outside the patch's kind (only
 * possible by casting) is a bug, refused before anything is written.
 */
export async function writeRecord(
  store: Pick<UpgradeStore, 'update'>,
  id: string,
  patch: RecordPatch,
): Promise<void> {
  const allowed: readonly string[] = PATCH_FIELDS[patch.kind];
  const stray = Object.keys(patch.set).filter((k) => !allowed.includes(k));
  if (stray.length) throw new Error(`a ${patch.kind} patch may not set ${stray.join(', ')}`);
  await store.update(id, patch.set);
}

const PATCHES = Symbol('record patches');

/**
 * A step's output carrying the record patches the Task wrapper (lambdas/workflow/workflow-task.ts) writes after the
 * step succeeds. They ride on a symbol key: the output the state machine sees is unchanged.
 */
export function withPatches<T extends object>(output: T, ...patches: RecordPatch[]): T {
  Object.defineProperty(output, PATCHES, { value: patches, enumerable: false });
  return output;
}

/** The record patches a step returned with its output (none for an output without them). */
export function patchesOf(output: unknown): readonly RecordPatch[] {
  if (typeof output !== 'object' || output === null) return [];
  return (output as { [PATCHES]?: readonly RecordPatch[] })[PATCHES] ?? [];
}
