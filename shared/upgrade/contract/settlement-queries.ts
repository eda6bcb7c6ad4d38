import type { ChainPort } from '../../chain/chain-port.ts';
import type { Settlement } from '../../chain/settlement-types.ts';

/** Every inflight settlement of the contract, all pages (`inflight_settlements {start_after, limit}`). */
export async function allInflightSettlements(chain: ChainPort, address: string): Promise<Settlement[]> {
  const out: Settlement[] = [];
  let startAfter: string | null = null;
  for (;;) {
    const page: { settlements: Settlement[] } = await chain.query<{ settlements: Settlement[] }>(address, {
      inflight_settlements: { start_after: startAfter, limit: 100 },
    });
    out.push(...page.settlements);
    if (page.settlements.length < 100) return out;
    startAfter = page.settlements[page.settlements.length - 1]?.id ?? null;
  }
}

/** The contract's version from its `config {}` query. */
export async function contractVersion(chain: ChainPort, address: string): Promise<string> {
  const config = await chain.query<{ version?: string }>(address, { config: {} });
  return String(config.version ?? 'unknown');
}
