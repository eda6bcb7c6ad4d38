import { ChainError, type ChainErrorCode, errorText } from '../../chain/chain-error.ts';

/** Network-level failures: the node was not reached or did not answer properly. */
const TRANSPORT =
  /ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|socket hang up|fetch failed|network error|timed out|Bad status on response|Request failed with status code|was submitted but was not yet found on the chain/i;
/** wasmd / Cosmos SDK authorisation failures (e.g. "requires migrate from admin: unauthorized"). */
const UNAUTHORIZED = /requires migrate from admin|: unauthorized\b|^unauthorized\b/i;
/** wasmd's missing code or contract ("no such contract", "no such code", "not found: key not found"). */
const NOT_FOUND = /no such contract|no such code|contract not found|code not found|not found: key not found/i;

/** The {@link ChainErrorCode} that a CosmJS or node error message indicates. */
export function classifyCosmjsError(message: string): ChainErrorCode {
  if (TRANSPORT.test(message)) return 'transport';
  if (UNAUTHORIZED.test(message)) return 'unauthorized';
  if (NOT_FOUND.test(message)) return 'not_found';
  return 'contract_error';
}

/**
 * Wraps a CosmJS failure as a ChainError, keeping the node's text (which contains the contract's
 * own error message). `what` says which call failed. ChainErrors pass through unchanged.
 */
export function toChainError(what: string, error: unknown): ChainError {
  if (error instanceof ChainError) return error;
  const text = errorText(error);
  const cause = error instanceof Error && error.cause !== undefined ? ` (${errorText(error.cause)})` : '';
  return new ChainError(classifyCosmjsError(text + cause), `${what} failed: ${text}${cause}`, {
    cause: error,
  });
}

/** Rejects with a ChainError 'transport' when `promise` does not settle within `ms`. */
export async function withTimeout<T>(what: string, ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ChainError('transport', `${what} timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
