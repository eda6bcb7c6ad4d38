import { MODES, type Mode, type ModeState } from '../../domain/drain-mode.ts';

/** The mode record's stored attributes (snake_case, as an operator would read them in the console). */
export function modeToAttributes(m: ModeState): Record<string, unknown> {
  return {
    mode: m.mode,
    rev: m.rev,
    fence_rev: m.fenceRev,
    version: m.version,
    reason: m.reason,
    started_at: m.startedAt,
    deadline: m.deadline,
    drain_timeout_secs: m.drainTimeoutSecs,
    target_version: m.targetVersion,
    forced: m.forced,
    deprecated_versions: m.deprecatedVersions,
    version_sunsets: m.versionSunsets,
    updated_at: m.updatedAt,
    updated_by: m.updatedBy,
  };
}

const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const strOrNull = (v: unknown): string | null => (typeof v === 'string' ? v : null);

export function modeFromItem(item: Record<string, unknown>): ModeState {
  const mode = item.mode as Mode;
  if (!MODES.includes(mode))
    throw new Error(`stored drain mode ${String(item.mode)} is not one of ${MODES.join(', ')}`);
  return {
    mode,
    rev: Number(item.rev),
    fenceRev: Number(item.fence_rev),
    version: String(item.version),
    reason: strOrNull(item.reason),
    startedAt: numOrNull(item.started_at),
    deadline: numOrNull(item.deadline),
    drainTimeoutSecs: numOrNull(item.drain_timeout_secs),
    targetVersion: strOrNull(item.target_version),
    forced: item.forced === true,
    deprecatedVersions: Array.isArray(item.deprecated_versions) ? (item.deprecated_versions as string[]) : [],
    versionSunsets: sunsetsOf(item.version_sunsets),
    updatedAt: Number(item.updated_at),
    updatedBy: String(item.updated_by),
  };
}

/** Stored sunsets: a map of version to ms (absent on records written before protocol rollouts). */
const sunsetsOf = (v: unknown): Record<string, number> =>
  v && typeof v === 'object'
    ? Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, n]) => [k, Number(n)]))
    : {};
