/** Why a chain call failed, as far as the control plane needs to tell the cases apart. */
export type ChainErrorCode =
  /** The contract itself returned an error (its own message is kept in `message`). */
  | 'contract_error'
  /** The code id or contract address does not exist on the chain. */
  | 'not_found'
  /** The sender may not do this (e.g. migrate by someone other than the contract admin). */
  | 'unauthorized'
  /** The chain could not be reached, or answered outside the protocol (timeouts, refused connections). */
  | 'transport'
  /** The adapter was configured or called with invalid input. */
  | 'invalid_request';

/**
 * A failed chain call. `message` keeps the contract's or node's own error text so an operator can
 * read the original reason (e.g. "Inflight settlements exist: 5 settlements must complete ...").
 */
export class ChainError extends Error {
  constructor(
    readonly code: ChainErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ChainError';
  }
}

/** True when `error` is a {@link ChainError}, optionally with the given code. */
export function isChainError(error: unknown, code?: ChainErrorCode): error is ChainError {
  return error instanceof ChainError && (code === undefined || error.code === code);
}

/** The text of any thrown value. */
export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : String(error);
}
