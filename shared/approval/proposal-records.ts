import { ConflictError, NotFoundError } from '../domain/errors.ts';
import type { Clock } from '../domain/ports.ts';
import type { Proposal, ProposalStore } from './proposal.ts';

/** Reading a proposal (404 when missing) and changing it safely under concurrent writers. */
export class ProposalRecords {
  constructor(
    private readonly store: ProposalStore,
    private readonly clock: Clock,
  ) {}

  async load(id: string): Promise<Proposal> {
    const p = await this.store.get(id);
    if (!p) throw new NotFoundError(`no proposal ${id}`, { resource: 'proposal' });
    return p;
  }

  /** Read, change, write if nobody wrote in between (else again). `change` returns null for "nothing to write". */
  async mutate(id: string, change: (p: Proposal, now: number) => Proposal | null): Promise<Proposal> {
    for (let attempt = 0; attempt < 8; attempt++) {
      const cur = await this.load(id);
      const next = change(cur, this.clock.now());
      if (!next) return cur;
      const written = { ...next, version: cur.version + 1 };
      if (await this.store.replace(written)) return written;
    }
    throw new ConflictError('proposal_busy', `proposal ${id} is changing under many writers: retry`);
  }
}
