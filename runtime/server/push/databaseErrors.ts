import type { SyncErrorCode } from '../types';

/**
 * What a database error means for the push item that caused it
 * (docs/PROTOCOL.md "Error codes"):
 * - a constraint or data error (the row can never be written as sent):
 *   `VALIDATION`, not retryable;
 * - a transient failure (connection, serialization, deadlock, lock or
 *   statement timeout, busy database): `INTERNAL`, retryable;
 * - anything else is a server fault: `INTERNAL` (retryable: the operation
 *   stays queued on the device until the server is fixed, never dropped).
 * Messages name the kind of failure and the database's error code, never
 * the SQL text or the database's own message (which can quote values).
 */
export interface DatabaseErrorClass {
  code: Extract<SyncErrorCode, 'VALIDATION' | 'INTERNAL'>;
  kind: 'data' | 'transient' | 'unknown';
  message: string;
}

/** Driver-adapter error kinds (`@prisma/driver-adapter-utils` MappedError) that refuse the data itself. */
const DATA_KINDS: Record<string, string> = {
  UniqueConstraintViolation: 'a unique constraint',
  NullConstraintViolation: 'a not-null constraint',
  ForeignKeyConstraintViolation: 'a foreign key',
  RestrictViolation: 'a foreign key',
  ValueOutOfRange: 'a value out of the column range',
  InvalidInputValue: 'a value the column cannot store',
  LengthMismatch: 'a value longer than the column',
  InconsistentColumnData: 'a value the column cannot store',
};
const TRANSIENT_KINDS = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'TooManyConnections',
  'SocketTimeout',
  'TransactionWriteConflict',
  'TransactionAlreadyClosed',
  'TlsConnectionError',
]);

/** Prisma error codes: P1xxx are connection problems; these P2xxx are transaction or pool timeouts and write conflicts. */
const TRANSIENT_PRISMA = new Set(['P1001', 'P1002', 'P1008', 'P1011', 'P1017', 'P2024', 'P2028', 'P2034']);
const DATA_PRISMA: Record<string, string> = {
  P2000: 'a value longer than the column',
  P2002: 'a unique constraint',
  P2003: 'a foreign key',
  P2004: 'a database constraint',
  P2005: 'a value the column cannot store',
  P2006: 'a value the column cannot store',
  P2007: 'a value the column cannot store',
  P2011: 'a not-null constraint',
  P2020: 'a value out of the column range',
};

/** PostgreSQL SQLSTATE → data refusal (class 22 data exception, class 23 integrity, PL/pgSQL RAISE / ASSERT in triggers). */
function pgData(state: string): string | null {
  if (state === '23505') return 'a unique constraint';
  if (state === '23503') return 'a foreign key';
  if (state === '23502') return 'a not-null constraint';
  if (state === '23514') return 'a check constraint';
  if (state.startsWith('23')) return 'an integrity constraint';
  if (state.startsWith('22')) return 'a value the column cannot store';
  if (state === 'P0001' || state === 'P0004') return 'a rule of the database (trigger)';
  return null;
}

/** PostgreSQL SQLSTATE classes of transient failures: connection (08), transaction rollback (40: serialization, deadlock), resources (53), lock not available (55P03), operator intervention (57: statement timeout, shutdown), system (58). */
function pgTransient(state: string): boolean {
  return ['08', '40', '53', '57', '58'].some((c) => state.startsWith(c)) || state === '55P03' || state === '55006';
}

/** SQLite primary result codes (https://www.sqlite.org/rescode.html). */
const SQLITE_DATA: Record<number, string> = {
  18: 'a value too big for the database',
  19: 'a database constraint or trigger',
  20: 'a value the column cannot store',
};
const SQLITE_TRANSIENT = new Set([5, 6, 10, 13, 14, 15]); // BUSY, LOCKED, IOERR, FULL, CANTOPEN, PROTOCOL

const NODE_TRANSIENT = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

interface Facts {
  kinds: Set<string>;
  codes: Set<string>;
  sqlite: Set<number>;
}

/** Every error kind and code found in an error, its causes and its metadata (walked iteratively, bounded). */
function collect(error: unknown): Facts {
  const facts: Facts = { kinds: new Set(), codes: new Set(), sqlite: new Set() };
  const seen = new Set<unknown>();
  const stack: { value: unknown; depth: number }[] = [{ value: error, depth: 0 }];
  while (stack.length > 0 && seen.size < 200) {
    const { value, depth } = stack.pop()!;
    if (value === null || typeof value !== 'object' || seen.has(value) || depth > 6) continue;
    seen.add(value);
    const v = value as Record<string, unknown>;
    if (typeof v.kind === 'string') facts.kinds.add(v.kind);
    for (const key of ['code', 'originalCode', 'errorCode', 'sqlState']) if (typeof v[key] === 'string') facts.codes.add(v[key] as string);
    if (typeof v.extendedCode === 'number') facts.sqlite.add(v.extendedCode & 0xff);
    if (v.kind === 'sqlite' && typeof v.code === 'number') facts.sqlite.add(v.code & 0xff);
    // Prisma's raw-query errors carry the SQLSTATE only in their text: "Raw query failed. Code: `22P05`. …"
    if (typeof v.message === 'string') for (const m of v.message.matchAll(/Code: `([0-9A-Z]{5})`/g)) facts.codes.add(m[1]!);
    for (const key of ['cause', 'meta', 'driverAdapterError', 'error']) if (key in v) stack.push({ value: v[key], depth: depth + 1 });
  }
  return facts;
}

/** Classify an error a push transaction threw. */
export function classifyDatabaseError(error: unknown): DatabaseErrorClass {
  const facts = collect(error);
  const data = (what: string, code?: string): DatabaseErrorClass => ({
    code: 'VALIDATION',
    kind: 'data',
    message: `the database refused this item: ${what}${code ? ` (${code})` : ''}`,
  });
  const transient = (code?: string): DatabaseErrorClass => ({
    code: 'INTERNAL',
    kind: 'transient',
    message: `temporary database failure${code ? ` (${code})` : ''}; retry`,
  });
  const pgStates = [...facts.codes].filter((c) => /^[0-9A-Z]{5}$/.test(c) && !/^P[12]\d{3}$/.test(c));
  for (const state of pgStates) if (pgTransient(state)) return transient(`SQLSTATE ${state}`);
  for (const kind of facts.kinds) if (TRANSIENT_KINDS.has(kind)) return transient(kind);
  for (const code of facts.codes) if (TRANSIENT_PRISMA.has(code) || NODE_TRANSIENT.has(code)) return transient(code);
  for (const primary of facts.sqlite) if (SQLITE_TRANSIENT.has(primary)) return transient(`SQLite code ${primary}`);
  for (const state of pgStates) {
    const what = pgData(state);
    if (what) return data(what, `SQLSTATE ${state}`);
  }
  for (const kind of facts.kinds) if (DATA_KINDS[kind]) return data(DATA_KINDS[kind]!);
  for (const primary of facts.sqlite) if (SQLITE_DATA[primary]) return data(SQLITE_DATA[primary]!, `SQLite code ${primary}`);
  for (const code of facts.codes) if (DATA_PRISMA[code]) return data(DATA_PRISMA[code]!, code);
  return { code: 'INTERNAL', kind: 'unknown', message: 'unexpected server error; retry later' };
}
