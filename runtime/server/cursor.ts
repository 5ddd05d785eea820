import { requestError } from './errors';

/**
 * The pull cursor: an exact position in an entity's change sequence.
 *
 * Every write stores the next value of a per (tenant, entity) counter in the
 * row's sequence column, inside the writing transaction and while holding the
 * counter row's lock (see sequence.ts), so sequence order is commit order.
 * A reader that has seen every row up to `seq` therefore never misses a later
 * commit, and equal timestamps cannot stall a page: the sequence is unique.
 *
 * Opaque to clients: base64url of `{ e: entity, s: seq, t: issuedAtMs }`.
 * `t` lets the server tell a cursor older than the tombstone horizon.
 */
export interface Cursor {
  entity: string;
  seq: bigint;
  issuedAt: number;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify({ e: cursor.entity, s: cursor.seq.toString(), t: cursor.issuedAt })).toString('base64url');
}

/** Decode a cursor a client sent back; anything but one this server issued for `entity` is `BAD_CURSOR` (never another error). */
export function decodeCursor(text: string, entity: string): Cursor {
  const bad = () => requestError('BAD_CURSOR', 'cursor is not one this server issued');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  // `null`, a number, a string or an array decode as JSON too.
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw bad();
  const { e, s, t } = parsed as { e?: unknown; s?: unknown; t?: unknown };
  if (typeof e !== 'string' || typeof s !== 'string' || !/^\d{1,19}$/.test(s) || typeof t !== 'number' || !Number.isFinite(t)) throw bad();
  if (e !== entity) throw requestError('BAD_CURSOR', `cursor belongs to another entity, not ${entity}`);
  return { entity: e, seq: BigInt(s), issuedAt: t };
}
