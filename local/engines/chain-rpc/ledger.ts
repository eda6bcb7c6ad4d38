import type { TxOutcome } from './deliver-tx.ts';

/** An account as the auth module keeps it: its number, fixed at first sight, and its next sequence. */
export interface Account {
  readonly number: bigint;
  sequence: bigint;
}

/** A transaction in a block. */
export interface IncludedTx {
  readonly hash: string;
  readonly height: number;
  readonly tx: Uint8Array;
  readonly outcome: TxOutcome;
}

/**
 * What a node keeps beside the contracts: accounts and their sequences, blocks (one per transaction) and the
 * transaction index. Every address is an account (the simulated chain has no bank to fund one first).
 */
export class Ledger {
  private readonly accounts = new Map<string, Account>();
  private readonly txs = new Map<string, IncludedTx>();
  height = 1;
  blockTime = new Date();

  constructor(
    readonly chainId: string,
    readonly prefix: string,
  ) {}

  account(address: string): Account {
    let account = this.accounts.get(address);
    if (!account) {
      account = { number: BigInt(this.accounts.size + 1), sequence: 0n };
      this.accounts.set(address, account);
    }
    return account;
  }

  /** Includes a delivered transaction in a new block. */
  include(hash: string, tx: Uint8Array, outcome: TxOutcome): IncludedTx {
    this.height += 1;
    this.blockTime = new Date();
    const included = { hash, height: this.height, tx, outcome };
    this.txs.set(hash, included);
    return included;
  }

  tx(hash: string): IncludedTx | undefined {
    return this.txs.get(hash.toUpperCase());
  }
}
