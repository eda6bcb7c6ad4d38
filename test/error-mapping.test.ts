import { describe, expect, it } from 'vitest';
import { hintFor, statusOf } from '../lambdas/http/error-mapping.ts';
import { badRequest, unauthorized } from '../lambdas/http/http-errors.ts';
import { errorResponse } from '../lambdas/http/responses.ts';
import { initialModeState, transition } from '../shared/domain/drain-mode.ts';
import {
  ConflictError,
  ForbiddenError,
  IllegalTransitionError,
  NotAdmittingError,
  NotFoundError,
  NotInitialisedError,
  UnsupportedError,
  ValidationError,
} from '../shared/domain/errors.ts';

describe('the HTTP edge maps domain errors', () => {
  it('maps each kind to its status; HTTP errors keep their own', () => {
    expect(statusOf(new ValidationError('x'))).toBe(400);
    expect(statusOf(new ForbiddenError('self_approval', 'x'))).toBe(403);
    expect(statusOf(new NotFoundError('x'))).toBe(404);
    expect(statusOf(new ConflictError('too_soon', 'x'))).toBe(409);
    expect(statusOf(new UnsupportedError('not_available_locally', 'x'))).toBe(501);
    expect(statusOf(new NotAdmittingError('Draining', 5, 'x'))).toBe(503);
    expect(statusOf(unauthorized('x'))).toBe(401);
    expect(statusOf(badRequest('x'))).toBe(400);
  });

  it('the domain names no route; the edge adds the next call as a hint, in the message too', () => {
    let refused: unknown;
    try {
      transition(initialModeState('1.0.0', 0), { kind: 'force' } as never, 'op', 1);
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(IllegalTransitionError);
    expect((refused as Error).message).not.toContain('/admin/');
    const { result } = errorResponse(refused, 'c1');
    const body = JSON.parse(result.body);
    expect(result.statusCode).toBe(409);
    expect(body).toMatchObject({
      error: 'illegal_transition',
      hint: 'start one with POST /admin/drain/start',
    });
    expect(body.message).toBe(
      'cannot force while mode is Active: there is no drain to force; start one with POST /admin/drain/start',
    );
  });

  it('keeps Retry-After on a 503 and gives no hint where the code has none', () => {
    const { result } = errorResponse(new NotInitialisedError(), 'c2');
    expect(result.statusCode).toBe(503);
    expect(result.headers?.['retry-after']).toBe('30');
    expect(JSON.parse(result.body).message).toContain('GET /admin/drain/status');
    expect(hintFor(new ConflictError('too_soon', 'x'))).toBeUndefined();
  });
});
