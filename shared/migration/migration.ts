import { ValidationError } from '../domain/errors.ts';

/** A stored intent or settlement record as the migrator sees it: its attributes, protocol_version among them. */
export type StoredRecord = Record<string, unknown> & { readonly protocol_version: string };

/** One step between protocol versions: transforms a record forward and, when reversible, back. */
export interface Migration {
  readonly from: string;
  readonly to: string;
  readonly description: string;
  /** Must set protocol_version to `to`. */
  forward(record: StoredRecord): StoredRecord;
  /** Must set protocol_version back to `from`; absent when the step loses information. */
  reverse?: (record: StoredRecord) => StoredRecord;
}

export const migrationName = (m: Pick<Migration, 'from' | 'to'>): string => `${m.from}->${m.to}`;

/** The registry of migrations: finds the shortest path between versions, or says why there is none. */
export class MigrationRegistry {
  private readonly byName = new Map<string, Migration>();

  constructor(migrations: readonly Migration[]) {
    for (const m of migrations) {
      const name = migrationName(m);
      if (this.byName.has(name)) throw new Error(`migration ${name} is registered twice`);
      this.byName.set(name, m);
    }
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  versions(): string[] {
    return [...new Set([...this.byName.values()].flatMap((m) => [m.from, m.to]))];
  }

  /** Breadth-first: the path with the fewest steps from `from` to `to`; [] when they are equal. */
  path(from: string, to: string): Migration[] {
    if (from === to) return [];
    const previous = new Map<string, Migration>();
    const queue = [from];
    const seen = new Set([from]);
    while (queue.length) {
      const v = queue.shift() as string;
      for (const m of this.byName.values()) {
        if (m.from !== v || seen.has(m.to)) continue;
        seen.add(m.to);
        previous.set(m.to, m);
        if (m.to === to) return this.unwind(previous, from, to);
        queue.push(m.to);
      }
    }
    const known = this.versions().join(', ') || 'none';
    throw new ValidationError(`no migration path from ${from} to ${to} (registered versions: ${known})`);
  }

  /** The named migrations, checked to form a chain from `from` to `to`. */
  chain(names: readonly string[], from: string, to: string): Migration[] {
    const steps = names.map((n) => {
      const m = this.byName.get(n);
      if (!m)
        throw new ValidationError(
          `unknown migration ${n} (registered: ${this.names().join(', ') || 'none'})`,
        );
      return m;
    });
    let at = from;
    for (const m of steps) {
      if (m.from !== at) throw new ValidationError(`migration ${migrationName(m)} does not start at ${at}`);
      at = m.to;
    }
    if (steps.length && at !== to)
      throw new ValidationError(`migrations end at ${at}, not at the target ${to}`);
    return steps;
  }

  private unwind(previous: Map<string, Migration>, from: string, to: string): Migration[] {
    const path: Migration[] = [];
    for (let v = to; v !== from; ) {
      const m = previous.get(v) as Migration;
      path.unshift(m);
      v = m.from;
    }
    return path;
  }
}
