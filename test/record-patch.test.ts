import { describe, expect, it } from 'vitest';
import { type RecordPatch, recordPatch, writeRecord } from '../shared/upgrade/record-patch.ts';
import type { UpgradeRecord } from '../shared/upgrade/upgrade-record.ts';

describe('the one writer of a run record', () => {
  const written: [string, Partial<UpgradeRecord>][] = [];
  const store = { update: async (id: string, set: Partial<UpgradeRecord>) => void written.push([id, set]) };

  it('writes a named patch as it is', async () => {
    await writeRecord(store, 'u1', recordPatch('migration', { records_migrated: 5, progress_pct: 60 }));
    expect(written).toEqual([['u1', { records_migrated: 5, progress_pct: 60 }]]);
  });

  it('refuses a field outside its kind before writing anything', async () => {
    const stray = { kind: 'bake', set: { state: 'succeeded' } } as unknown as RecordPatch;
    await expect(writeRecord(store, 'u1', stray)).rejects.toThrow('a bake patch may not set state');
    expect(written).toHaveLength(1);
  });
});
