import { describe, expect, it } from 'vitest';
import { upgradeFrame } from '../../cli/watch-upgrade.ts';

// The CLI's live view of an upgrade (`ucp upgrade status --watch`), as plain text: its components in order.
describe('the live view of a whole-system upgrade', () => {
  it('shows each contract and service with where it stands, in the order of the upgrade', () => {
    const frame = upgradeFrame(
      'plain',
      {
        upgrade: {
          id: 'u-1',
          from_version: '1.0.0',
          to_version: '2.0.0',
          state: 'running',
          progress_pct: 60,
        },
        steps: [{ name: 'Migrate contract: escrow', started_at: 0, ended_at: 1000, outcome: 'succeeded' }],
      },
      {
        state: 'running',
        current_step: 'Roll out service replicas: relayer',
        components: [
          { kind: 'contract', name: 'escrow', state: 'done', detail: 'code 3 → 4' },
          { kind: 'service', name: 'relayer', state: 'current', detail: '1 of 2 replicas on 2.0.0' },
          { kind: 'service', name: 'orchestrator', state: 'pending', detail: '0 of 2 replicas' },
        ],
      },
    );
    const lines = frame.split('\n');
    const at = (text: string) => lines.findIndex((l) => l.includes(text));
    expect(lines[at('escrow  done')]).toMatch(/✓ contract escrow {2}done: code 3 → 4/);
    expect(lines[at('relayer  current')]).toMatch(/▶ service relayer {2}current: 1 of 2 replicas on 2\.0\.0/);
    expect(lines[at('orchestrator  pending')]).toMatch(/· service orchestrator/);
    expect(at('escrow  done')).toBeLessThan(at('relayer  current'));
    expect(at('relayer  current')).toBeLessThan(at('orchestrator  pending'));
  });
});
