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

/** Decode a cursor a client sent back; a malformed one or one for another entity is `BAD_CURSOR`. */
export function decodeCursor(text: string, entity: string): Cursor {
  let parsed: { e?: unknown; s?: unknown; t?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as typeof parsed;
  } catch {
    throw requestError('BAD_CURSOR', 'cursor is not one this server issued');
  }
  if (typeof parsed.e !== 'string' || typeof parsed.s !== 'string' || !/^\d+$/.test(parsed.s) || typeof parsed.t !== 'number') {
    throw requestError('BAD_CURSOR', 'cursor is not one this server issued');
  }
  if (parsed.e !== entity) throw requestError('BAD_CURSOR', `cursor belongs to ${parsed.e}, not ${entity}`);
  return { entity: parsed.e, seq: BigInt(parsed.s), issuedAt: parsed.t };
}
