import type { MigrationProgress } from '../upgrade/upgrade-record.ts';
import type { Migration, StoredRecord } from './migration.ts';
import type { RecordStore } from './record-store.ts';

export interface MigrationReport extends MigrationProgress {
  readonly steps: string[];
  readonly errors: string[];
  readonly dry_run: boolean;
}

/**
 * Runs a chain of migrations over every stored record. Each record moves one step at a time with a write that
 * is conditional on its current version, so a run that stops half way can simply be run again (idempotent,
 * resumable). Progress is reported after every page.
 */
export async function migrateRecords(
  store: RecordStore,
  chain: readonly Migration[],
  opts: {
    dryRun?: boolean;
    /** The upgrade running this migration: a re-run of the same upgrade keeps each record's original version. */
    runId?: string;
    onProgress?: (p: MigrationProgress) => Promise<void> | void;
  } = {},
): Promise<MigrationReport> {
  const target = chain[chain.length - 1]?.to;
  const sources = new Set(chain.map((m) => m.from));
  let total = 0;
  for await (const page of store.pages()) total += page.filter((r) => sources.has(r.protocol_version)).length;
  let completed = 0;
  let failed = 0;
  const errors: string[] = [];
  const progress = (): MigrationProgress => ({
    total,
    completed,
    failed,
    pct: total ? Math.floor((100 * (completed + failed)) / total) : 100,
  });
  if (!target || opts.dryRun) {
    return {
      ...progress(),
      completed: opts.dryRun ? 0 : total,
      steps: chain.map(stepName),
      errors,
      dry_run: !!opts.dryRun,
    };
  }
  for await (const page of store.pages()) {
    for (const record of page) {
      if (!sources.has(record.protocol_version)) continue;
      try {
        // Remember where the record started, so that reversing stops there rather than at the chain's start.
        const resumed = opts.runId !== undefined && record.migrated_by === opts.runId;
        const origin = resumed ? record.migrated_from_version : record.protocol_version;
        let current: StoredRecord = {
          ...record,
          migrated_from_version: origin,
          migrated_by: opts.runId ?? null,
        };
        for (const m of chain) {
          if (current.protocol_version !== m.from) continue;
          const next = m.forward(current);
          if (next.protocol_version !== m.to)
            throw new Error(`${stepName(m)} left protocol_version ${next.protocol_version}`);
          if (!(await store.replaceIfVersion(next, m.from))) break; // completed meanwhile, or moved on by another run
          current = next;
        }
        completed++;
      } catch (err) {
        failed++;
        if (errors.length < 10) errors.push(`${String(record.id)}: ${(err as Error).message}`);
      }
    }
    await opts.onProgress?.(progress());
  }
  return { ...progress(), steps: chain.map(stepName), errors, dry_run: false };
}

/** Walks the chain backwards with each step's reverse; throws before writing anything if a step is irreversible. */
export async function reverseRecords(store: RecordStore, chain: readonly Migration[]): Promise<number> {
  const irreversible = chain.filter((m) => !m.reverse).map(stepName);
  if (irreversible.length) throw new Error(`cannot reverse: ${irreversible.join(', ')} irreversible`);
  const reversed = [...chain].reverse();
  const targets = new Set(chain.map((m) => m.to));
  let n = 0;
  for await (const page of store.pages()) {
    for (const record of page) {
      if (!targets.has(record.protocol_version)) continue;
      const origin = typeof record.migrated_from_version === 'string' ? record.migrated_from_version : null;
      let current: StoredRecord = record;
      for (const m of reversed) {
        if (current.protocol_version !== m.to || current.protocol_version === origin || !m.reverse) continue;
        const prev = m.reverse(current);
        const done = prev.protocol_version === origin || origin === null;
        const { migrated_from_version: _origin, migrated_by: _by, ...plain } = prev;
        if (!(await store.replaceIfVersion(done ? (plain as StoredRecord) : prev, m.to))) break;
        current = done ? (plain as StoredRecord) : prev;
        if (done && origin !== null) break;
      }
      n++;
    }
  }
  return n;
}

const stepName = (m: Migration) => `${m.from}->${m.to}`;
