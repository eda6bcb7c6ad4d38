import { ValidationError } from '../../domain/errors.ts';

/** Opaque page cursors: the intents table key of the last item returned, base64url JSON. */
export const encodeCursor = (key: Record<string, unknown>): string =>
  Buffer.from(JSON.stringify({ shard: key.shard, id: key.id })).toString('base64url');

export function decodeCursor(cursor: string | undefined): Record<string, unknown> | undefined {
  if (cursor === undefined) return undefined;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (Number.isInteger(key.shard) && typeof key.id === 'string' && Object.keys(key).length === 2)
      return key;
  } catch {
    // fall through to the error below
  }
  throw new ValidationError(
    'cursor is not one this API returned: pass next_cursor from the previous page unchanged',
  );
}
