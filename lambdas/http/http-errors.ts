import { DomainError } from '../../shared/domain/errors.ts';

/** A rejection decided at the HTTP layer (auth, body, method), before any domain code runs: it has its own status. */
export class HttpError extends DomainError {
  constructor(
    code: string,
    readonly status: number,
    message: string,
    details?: Record<string, unknown>,
  ) {
    super(code, status === 403 ? 'forbidden' : 'invalid', message, details);
  }
}

export const unauthorized = (message: string) => new HttpError('unauthorized', 401, message);
export const forbidden = (message: string) => new HttpError('forbidden', 403, message);
export const badRequest = (message: string) => new HttpError('invalid_request', 400, message);
export const tooLarge = (message: string) => new HttpError('payload_too_large', 413, message);
export const unsupportedMediaType = (message: string) =>
  new HttpError('unsupported_media_type', 415, message);
