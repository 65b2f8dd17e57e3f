import { DomainError } from './domain-error.js';

/** Keyset position of the last row of a page: (time, id) is unique, so pages never repeat or skip rows. */
export interface KeysetCursor {
  t: string;
  id: string;
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export const DEFAULT_PAGE_LIMIT = 50;
export const MAX_PAGE_LIMIT = 200;

export function encodeCursor(cursor: KeysetCursor): string {
  return Buffer.from(JSON.stringify([cursor.t, cursor.id]), 'utf8').toString('base64url');
}

/** An opaque cursor the client altered or invented is a 400, never a 500. */
export function decodeCursor(raw: string | undefined): KeysetCursor | undefined {
  if (raw === undefined || raw === '') return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[0] === 'string' &&
      typeof parsed[1] === 'string'
    ) {
      return { t: parsed[0], id: parsed[1] };
    }
  } catch {
    // fall through
  }
  throw new DomainError(
    'invalid',
    'The cursor is not valid; use the nextCursor of a previous page.',
    'invalid_cursor',
    [{ field: 'cursor', message: 'not a cursor issued by this API' }],
  );
}

/** Builds a page from `limit + 1` rows fetched newest first. */
export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => KeysetCursor): Page<T> {
  const data = rows.slice(0, limit);
  const last = data[data.length - 1];
  return { data, nextCursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null };
}
