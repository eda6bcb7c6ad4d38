import { beforeEach, describe, expect, it } from 'vitest';
import type { ControlPlane } from '../shared/control-plane.ts';
import { ValidationError } from '../shared/domain/errors.ts';
import { type Migration, MigrationRegistry } from '../shared/migration/migration.ts';
import { migrateRecords, reverseRecords } from '../shared/migration/migrator.ts';
import { PROTOCOL_MIGRATIONS } from '../shared/migration/protocol-migrations.ts';
import { freshControlPlane } from './support/control-plane.ts';

const registry = new MigrationRegistry(PROTOCOL_MIGRATIONS);
let cp: ControlPlane;
beforeEach(async () => {
  ({ cp } = await freshControlPlane());
});

describe('migration registry', () => {
  it('finds the shortest path, or says there is none and which versions exist', () => {
    expect(registry.path('1.0.0', '2.0.0').map((m) => `${m.from}->${m.to}`)).toEqual([
      '1.0.0->1.1.0',
      '1.1.0->2.0.0',
    ]);
    expect(registry.path('2.0.0', '2.0.0')).toEqual([]);
    expect(() => registry.path('2.0.0', '1.0.0')).toThrow(
      /no migration path from 2.0.0 to 1.0.0 \(registered versions: /,
    );
  });

  it('checks a named chain', () => {
    expect(registry.chain(['1.0.0->1.1.0'], '1.0.0', '1.1.0')).toHaveLength(1);
    expect(() => registry.chain(['1.1.0->2.0.0'], '1.0.0', '2.0.0')).toThrow(ValidationError);
    expect(() => registry.chain(['nope'], '1.0.0', '2.0.0')).toThrow(/unknown migration nope/);
    expect(() => registry.chain(['1.0.0->1.1.0'], '1.0.0', '2.0.0')).toThrow(/end at 1.1.0/);
  });
});

describe('migrating stored records', () => {
  it('is idempotent and resumable, reports progress, and reverses to each record’s own starting version', async () => {
    for (let n = 0; n < 12; n++) {
      await cp.inflight.register({ id: `m-${n}`, protocol_version: n % 3 === 0 ? '1.1.0' : '1.0.0' });
    }
    const records = cp.upgrade.records;
    const chain = registry.path('1.0.0', '2.0.0');
    const seen: number[] = [];
    const first = await migrateRecords(records, chain, {
      runId: 'u1',
      onProgress: (p) => void seen.push(p.pct),
    });
    expect(first).toMatchObject({ total: 12, completed: 12, failed: 0, pct: 100 });
    expect(seen.at(-1)).toBe(100);
    const again = await migrateRecords(records, chain, { runId: 'u1' });
    expect(again.total).toBe(0);
    const all = [];
    for await (const page of records.pages()) all.push(...page);
    expect(all.every((r) => r.protocol_version === '2.0.0' && r.phase === 'Submitted')).toBe(true);
    expect(await reverseRecords(records, chain)).toBe(12);
    const back = [];
    for await (const page of records.pages()) back.push(...page);
    for (const r of back) {
      expect(r.protocol_version).toBe(Number(String(r.id).slice(2)) % 3 === 0 ? '1.1.0' : '1.0.0');
      expect(r.phase).toBe('Pending');
      expect(r).not.toHaveProperty('migrated_from_version');
    }
  });

  it('counts a record whose transform throws as failed, and leaves it as it was', async () => {
    await cp.inflight.register({ id: 'bad', protocol_version: '1.0.0' });
    await cp.inflight.register({ id: 'good', protocol_version: '1.0.0' });
    const breaking: Migration = {
      from: '1.0.0',
      to: '1.0.9',
      description: 'fails on one record',
      forward: (r) => {
        if (r.id === 'bad') throw new Error('cannot convert');
        return { ...r, protocol_version: '1.0.9' };
      },
    };
    const report = await migrateRecords(cp.upgrade.records, [breaking], { runId: 'u2' });
    expect(report).toMatchObject({ total: 2, completed: 1, failed: 1 });
    expect(report.errors[0]).toContain('bad: cannot convert');
    expect((await cp.inflight.get('bad')).protocol_version).toBe('1.0.0');
    await expect(reverseRecords(cp.upgrade.records, [breaking])).rejects.toThrow(/irreversible/);
  });
});
