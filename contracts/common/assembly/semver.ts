// MAJOR.MINOR.PATCH versions, compared numerically.
import { isU64, parseU64 } from './fields';

export class Semver {
  major: u64 = 0;
  minor: u64 = 0;
  patch: u64 = 0;
}

/** Parses `MAJOR.MINOR.PATCH` (decimal numbers without leading zeros); null when malformed. */
export function parseSemver(text: string): Semver | null {
  const parts = text.split('.');
  if (parts.length !== 3) return null;
  for (let i = 0; i < 3; i++) {
    if (!isU64(parts[i])) return null;
  }
  const version = new Semver();
  version.major = parseU64(parts[0]);
  version.minor = parseU64(parts[1]);
  version.patch = parseU64(parts[2]);
  return version;
}

/** -1, 0 or 1 as `a` is older than, equal to or newer than `b`. */
export function compareSemver(a: Semver, b: Semver): i32 {
  if (a.major !== b.major) return a.major < b.major ? -1 : 1;
  if (a.minor !== b.minor) return a.minor < b.minor ? -1 : 1;
  if (a.patch !== b.patch) return a.patch < b.patch ? -1 : 1;
  return 0;
}

/**
 * Whether a migration may move the stored version to `next`: newer unless it is a rollback, not newer when it is.
 * Returns the error message, or '' when allowed.
 */
export function migrationVersionProblem(next: string, stored: string, rollback: bool): string {
  const newVersion = parseSemver(next);
  if (newVersion === null) return `Invalid migrate message: new_version '${next}' is not MAJOR.MINOR.PATCH`;
  const current = parseSemver(stored);
  if (current === null) return `Stored version '${stored}' is not MAJOR.MINOR.PATCH`;
  const order = compareSemver(newVersion, current);
  if (!rollback && order <= 0)
    return `Version ${next} is not newer than the current version ${stored} (a rollback migration must set "rollback": true)`;
  if (rollback && order > 0)
    return `Rollback to version ${next} refused: it is newer than the current version ${stored}`;
  return '';
}
