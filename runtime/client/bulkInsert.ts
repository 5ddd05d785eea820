import type { Database } from '@nozbe/watermelondb';
import { sanitizedRaw } from '@nozbe/watermelondb/RawRecord/index.js';
import type { RawColumns } from './mapping';

/**
 * Bulk insert of pulled records into a table that was empty when the pull
 * began (README "Client sync", "Performance"), on WatermelonDB's SQLite
 * adapter: multi-row `insert` statements run in the same SQLite transaction
 * as the page's other writes (its cursor above all), instead of one Model and
 * one statement per record. What it relies on, and why each is safe:
 *
 * - No Model objects: WatermelonDB's record cache never evicts, so a first
 *   sync of 1,000,000 records through Models would hold them all in memory;
 *   rows inserted here are not in the cache, and the adapter is not told they
 *   are (cache behaviour "ignore"), so later queries load them from SQLite.
 * - No change notifications: used only when nothing observes the table
 *   (no query, collection or database subscription on it, checked per page),
 *   as WatermelonDB's own turbo first sync assumes; otherwise the caller
 *   takes the Model path and observers see every record.
 * - One transaction: the insert statements are prepended to the native
 *   operations of the page's `database.batch` (WatermelonDB 0.28:
 *   `SQLiteAdapter.batch` hands `[cacheBehaviour, table, sql, argBatches][]`
 *   to its dispatcher's `batch`, run by the driver in one transaction, on
 *   Node and on iOS/Android alike). A failing insert rolls back the page and
 *   its cursor together.
 * - Values: every row goes through WatermelonDB's `sanitizedRaw`, exactly
 *   what `prepareCreateFromDirtyRaw` stores.
 * - Statement size: at most 999 bound values per statement (SQLite before
 *   3.32, still on older Android), and statement sizes drawn from a few
 *   fixed values (the device's driver caches each distinct SQL text).
 */

type NativeOperation = [cacheBehaviour: number, table: string | null, sql: string, argBatches: unknown[][]];
interface Dispatcher {
  call(method: string, args: unknown[], callback: (result: unknown) => void): void;
}
interface SqliteAdapterShape {
  schema: { tables: Record<string, { columnArray: { name: string }[] }> };
  _dispatcher?: Dispatcher;
}

/** SQLite's default bound-parameter limit before 3.32. */
const MAX_VARIABLES = 999;
/** `IGNORE_CACHE` of WatermelonDB's encodeBatch: the adapter does not mark the ids as held by JS. */
const IGNORE_CACHE = 0;

function sqliteAdapterOf(database: Database): SqliteAdapterShape | null {
  const adapter = (database.adapter as unknown as { underlyingAdapter?: SqliteAdapterShape & { constructor: { adapterType?: string } } })
    .underlyingAdapter;
  if (adapter?.constructor.adapterType !== 'sqlite') return null;
  return typeof adapter._dispatcher?.call === 'function' && adapter.schema ? adapter : null;
}

/** Whether anything observes `table` (queries, collection or database subscriptions). */
function observed(database: Database, table: string): boolean {
  const collection = database.get(table) as unknown as { _subscribers?: unknown[]; changes?: { observed?: boolean } };
  const subscribers = (database as unknown as { _subscribers?: [string[], unknown][] })._subscribers;
  if (!Array.isArray(collection._subscribers) || typeof collection.changes?.observed !== 'boolean' || !Array.isArray(subscribers)) return true;
  return collection._subscribers.length > 0 || collection.changes.observed || subscribers.some(([tables]) => tables.includes(table));
}

/** Whether `bulkBatch` can insert into `table` of this database (else use Models). */
export function canBulkInsert(database: Database, table: string): boolean {
  return sqliteAdapterOf(database) !== null && !observed(database, table);
}

/** Row counts per statement: full chunks, then the rest as powers of two (few distinct statements). */
function chunkSizes(total: number, perStatement: number): number[] {
  const sizes: number[] = [];
  let left = total;
  while (left >= perStatement) {
    sizes.push(perStatement);
    left -= perStatement;
  }
  for (let size = 1 << 30; size >= 1; size >>= 1) {
    if (left >= size) {
      sizes.push(size);
      left -= size;
    }
  }
  return sizes;
}

function insertOperations(adapter: SqliteAdapterShape, table: string, rows: RawColumns[]): NativeOperation[] {
  const tableSchema = adapter.schema.tables[table];
  if (!tableSchema) throw new Error(`bulk insert: table ${table} is not in the schema`);
  const columns = ['id', '_status', '_changed', ...tableSchema.columnArray.map((c) => c.name)];
  const perStatement = Math.max(1, Math.floor(MAX_VARIABLES / columns.length));
  const head = `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values `;
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const ops: NativeOperation[] = [];
  let at = 0;
  for (const size of chunkSizes(rows.length, perStatement)) {
    const args: unknown[] = [];
    for (let i = at; i < at + size; i++) {
      const raw = sanitizedRaw(rows[i] as never, tableSchema as never) as unknown as Record<string, unknown>;
      for (const column of columns) args.push(raw[column]);
    }
    ops.push([IGNORE_CACHE, null, head + Array(size).fill(tuple).join(', '), [args]]);
    at += size;
  }
  return ops;
}

/**
 * `database.batch(...ops)` with `rows` (raw records with `id`, `_status` and
 * `_changed` set) inserted into `table` in the same transaction. Call inside
 * `database.write`, after `canBulkInsert` said yes, with no await in between.
 */
export async function bulkBatch(database: Database, ops: Parameters<Database['batch']>, table: string, rows: RawColumns[]): Promise<void> {
  const adapter = sqliteAdapterOf(database);
  if (!adapter?._dispatcher) throw new Error('bulk insert needs WatermelonDB SQLite adapter');
  const dispatcher = adapter._dispatcher;
  const inserts = insertOperations(adapter, table, rows);
  const own = Object.hasOwn(dispatcher, 'call');
  const original = dispatcher.call;
  const restore = () => {
    if (own) dispatcher.call = original;
    else delete (dispatcher as Partial<Dispatcher>).call;
  };
  let consumed = false;
  dispatcher.call = function (method, args, callback) {
    if (method !== 'batch') return original.call(this, method, args, callback);
    restore();
    consumed = true;
    return original.call(this, method, [[...inserts, ...(args[0] as NativeOperation[])], ...args.slice(1)], callback);
  };
  // Database.batch reaches the adapter synchronously (WatermelonDB 0.28), so the next batch
  // dispatched is this one; the wrapper stays until then, and goes if the batch fails before.
  try {
    await database.batch(...ops);
  } finally {
    if (!consumed) restore();
  }
}
