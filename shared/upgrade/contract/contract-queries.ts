import type { ChainPort } from '../../chain/chain-port.ts';

/**
 * What the control plane reads of the intent-settlement contracts (contracts/settlement, contracts/escrow): their
 * config, their inflight entries (settlements, or locked escrows) page by page, and the escrow's solver bonds.
 */
export type ContractKind = 'settlement' | 'escrow';

/** A contract's `config {}` answer (the escrow contract says `"contract": "escrow"`). */
export type ContractConfig = Record<string, unknown> & { version?: string; contract?: string };

export const readConfig = (chain: ChainPort, address: string): Promise<ContractConfig> =>
  chain.query<ContractConfig>(address, { config: {} });

export const kindOf = (config: ContractConfig): ContractKind =>
  config.contract === 'escrow' ? 'escrow' : 'settlement';

/** The paged query that lists a kind's inflight entries, and the list's key in its answer. */
const INFLIGHT = {
  settlement: { query: 'inflight_settlements', list: 'settlements', one: 'settlement', live: 'inflight' },
  escrow: { query: 'locked_escrows', list: 'escrows', one: 'escrow', live: 'locked' },
} as const;

/** Every page of a paged contract query (`{start_after, limit}`), keyed by `key` of each entry. */
async function allPages<T>(
  chain: ChainPort,
  address: string,
  query: string,
  list: string,
  key: (x: T) => string,
): Promise<T[]> {
  const out: T[] = [];
  let startAfter: string | null = null;
  for (;;) {
    const page: Record<string, T[]> = await chain.query(address, {
      [query]: { start_after: startAfter, limit: 100 },
    });
    const items = page[list] ?? [];
    out.push(...items);
    if (items.length < 100) return out;
    startAfter = key(items[items.length - 1] as T);
  }
}

/** One inflight entry as the contract returns it: a settlement or an escrow, each with its id. */
export type InflightEntry = Record<string, unknown> & { id: string; status: string };

/** Every inflight settlement (settlement contract) or locked escrow (escrow contract). */
export const allInflight = (
  chain: ChainPort,
  address: string,
  kind: ContractKind,
): Promise<InflightEntry[]> =>
  allPages<InflightEntry>(chain, address, INFLIGHT[kind].query, INFLIGHT[kind].list, (x) => x.id);

/** A solver's bond over its locked escrows, as the escrow contract sums it. */
export type SolverBond = { solver: string; amount: string; escrows: number };

/** The escrow contract's solver bonds (none for the settlement contract, which holds no bonds). */
export const allSolverBonds = (
  chain: ChainPort,
  address: string,
  kind: ContractKind,
): Promise<SolverBond[]> =>
  kind === 'escrow'
    ? allPages<SolverBond>(chain, address, 'solver_bonds', 'bonds', (x) => x.solver)
    : Promise.resolve([]);

/** Where one checkpointed entry stands now: inflight (still live), refunded, another status, or missing. */
export async function entryStatus(
  chain: ChainPort,
  address: string,
  kind: ContractKind,
  id: string,
): Promise<'inflight' | 'refunded' | string> {
  const k = INFLIGHT[kind];
  const entry = await chain
    .query<{ status: string }>(address, { [k.one]: { id } })
    .catch(() => ({ status: 'missing' }));
  return entry.status === k.live ? 'inflight' : entry.status;
}

/** The contract's version from its `config {}` query. */
export async function contractVersion(chain: ChainPort, address: string): Promise<string> {
  return String((await readConfig(chain, address)).version ?? 'unknown');
}
