import type { Migration, StoredRecord } from './migration.ts';

/**
 * The protocol migrations this control plane knows. Each rewrites a stored intent record between versions;
 * the upgrade workflow runs the shortest chain from the running version to the target.
 */
export const PROTOCOL_MIGRATIONS: readonly Migration[] = [
  {
    from: '1.0.0',
    to: '1.1.0',
    description: 'adds settlement_mode (default "standard") to every intent',
    forward: (r) => ({ ...r, settlement_mode: r.settlement_mode ?? 'standard', protocol_version: '1.1.0' }),
    reverse: (r) => {
      const { settlement_mode: _dropped, ...rest } = r;
      return { ...rest, protocol_version: '1.0.0' } as StoredRecord;
    },
  },
  {
    from: '1.1.0',
    to: '2.0.0',
    description: 'renames phase Pending to Submitted and records the phase schema',
    forward: (r) => ({
      ...r,
      phase: r.phase === 'Pending' ? 'Submitted' : r.phase,
      phase_schema: 2,
      protocol_version: '2.0.0',
    }),
    reverse: (r) => {
      const { phase_schema: _dropped, ...rest } = r;
      return {
        ...rest,
        phase: r.phase === 'Submitted' ? 'Pending' : r.phase,
        protocol_version: '1.1.0',
      } as StoredRecord;
    },
  },
  {
    from: '1.0.0',
    to: '1.0.1',
    description: 'patch release: no change to stored records',
    forward: (r) => ({ ...r, protocol_version: '1.0.1' }),
    reverse: (r) => ({ ...r, protocol_version: '1.0.0' }),
  },
];
