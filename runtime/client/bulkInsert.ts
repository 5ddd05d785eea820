import type { Database } from '@nozbe/watermelondb';
import { wireToColumn, type WireRecord } from './mapping';
import type { EntityMeta, FieldMeta } from './meta';
import { reuseStatements } from './nodeStatements';

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
 * - Values: each wire value is converted once, straight into the bound
 *   values, by the same rules as `wireToRaw` then WatermelonDB's
 *   `sanitizedRaw` (what `prepareCreateFromDirtyRaw` stores; the bulk-insert
 *   tests compare the stored rows with the Model path's).
 * - Statement size: at most 999 bound values per statement (SQLite before
 *   3.32, still on older Android), and statement sizes drawn from a few
 *   fixed values (the device's driver caches each distinct SQL text; on
 *   Node, nodeStatements.ts keeps them too).
 */

type NativeOperation = [cacheBehaviour: number, table: string | null, sql: string, argBatches: unknown[][]];
interface Dispatcher {
  call(method: string, args: unknown[], callback: (result: unknown) => void): void;
}
interface ColumnSchema {
  name: string;
  type: 'string' | 'number' | 'boolean';
  isOptional?: boolean;
}
interface TableSchema {
  columnArray: ColumnSchema[];
}
interface SqliteAdapterShape {
  schema: { tables: Record<string, TableSchema> };
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

/** Pulled records to insert: wire records new to the table, and the page's foreign-key translation. */
export interface BulkRows {
  meta: EntityMeta;
  items: WireRecord[];
  /** Column -> (server id -> local id) of the page's `belongsTo` keys; a key not in its map is kept. */
  foreignKeys: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

/** Where each bound value of a row comes from, in the statement's column order. */
type Slot =
  | { from: 'id' }
  | { from: 'constant'; value: string }
  | { from: 'field'; field: FieldMeta; column: ColumnSchema }
  | { from: 'absent'; column: ColumnSchema };

interface InsertPlan {
  tableSchema: TableSchema;
  slots: Slot[];
  /** `insert into "t" (…) values ` */
  head: string;
  tuple: string;
  perStatement: number;
  /** Statement text per row count. */
  sql: Map<number, string>;
}

const plans = new WeakMap<EntityMeta, InsertPlan>();

function insertPlan(meta: EntityMeta, tableSchema: TableSchema): InsertPlan {
  const cached = plans.get(meta);
  if (cached?.tableSchema === tableSchema) return cached;
  const byColumn = new Map(meta.fields.map((f) => [f.column, f]));
  const slots: Slot[] = [{ from: 'id' }, { from: 'constant', value: 'synced' }, { from: 'constant', value: '' }];
  for (const column of tableSchema.columnArray) {
    const field = byColumn.get(column.name);
    if (column.name === 'server_id') slots.push({ from: 'id' });
    else if (field) slots.push({ from: 'field', field, column });
    else slots.push({ from: 'absent', column });
  }
  const names = ['id', '_status', '_changed', ...tableSchema.columnArray.map((c) => c.name)];
  const plan: InsertPlan = {
    tableSchema,
    slots,
    head: `insert into "${meta.table}" (${names.map((c) => `"${c}"`).join(', ')}) values `,
    tuple: `(${names.map(() => '?').join(', ')})`,
    perStatement: Math.max(1, Math.floor(MAX_VARIABLES / names.length)),
    sql: new Map(),
  };
  plans.set(meta, plan);
  return plan;
}

/**
 * WatermelonDB's `sanitizedRaw` rule for one column (RawRecord/index.js
 * `_setRaw`, 0.28): a value of the wrong type becomes null when the column is
 * optional, else the type's empty value; SQLite's 1/0 count as booleans;
 * NaN and ±Infinity are not numbers.
 */
function sanitized(column: ColumnSchema, value: unknown): string | number | boolean | null {
  switch (column.type) {
    case 'string':
      return typeof value === 'string' ? value : column.isOptional ? null : '';
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 1 || value === 0) return value === 1;
      return column.isOptional ? null : false;
    default:
      return typeof value === 'number' && Number.isFinite(value) ? value || 0 : column.isOptional ? null : 0;
  }
}

/**
 * The rows' bound values straight from the wire records, in one pass: what
 * `wireToRaw`, the foreign-key translation and `sanitizedRaw` would store
 * (the record's server id is its local id and `server_id`, status `synced`).
 */
function insertOperations(adapter: SqliteAdapterShape, rows: BulkRows): { ops: NativeOperation[]; sqls: string[] } {
  const { meta, items, foreignKeys } = rows;
  const tableSchema = adapter.schema.tables[meta.table];
  if (!tableSchema) throw new Error(`bulk insert: table ${meta.table} is not in the schema`);
  const plan = insertPlan(meta, tableSchema);
  const { slots } = plan;
  const translations = slots.map((s) => (s.from === 'field' ? foreignKeys.get(s.field.column) : undefined));
  const ops: NativeOperation[] = [];
  const sqls: string[] = [];
  let at = 0;
  for (const size of chunkSizes(items.length, plan.perStatement)) {
    const args: unknown[] = new Array(size * slots.length);
    let k = 0;
    for (let i = at; i < at + size; i++) {
      const item = items[i]!;
      const id = String(item.id);
      for (let s = 0; s < slots.length; s++) {
        const slot = slots[s]!;
        if (slot.from === 'id') args[k++] = id;
        else if (slot.from === 'constant') args[k++] = slot.value;
        else if (slot.from === 'absent') args[k++] = sanitized(slot.column, null);
        else {
          const wire = item[slot.field.name];
          let value = wire === undefined ? null : wireToColumn(slot.field, wire);
          const translate = translations[s];
          if (translate && typeof value === 'string') value = translate.get(value) ?? value;
          args[k++] = sanitized(slot.column, value);
        }
      }
    }
    let sql = plan.sql.get(size);
    if (sql === undefined) plan.sql.set(size, (sql = plan.head + Array(size).fill(plan.tuple).join(', ')));
    ops.push([IGNORE_CACHE, null, sql, [args]]);
    sqls.push(sql);
    at += size;
  }
  return { ops, sqls };
}

/**
 * `database.batch(...ops)` with `rows` (wire records new to the table)
 * inserted into their table in the same transaction. Call inside
 * `database.write`, after `canBulkInsert` said yes, with no await in between.
 */
export async function bulkBatch(database: Database, ops: Parameters<Database['batch']>, rows: BulkRows): Promise<void> {
  const adapter = sqliteAdapterOf(database);
  if (!adapter?._dispatcher) throw new Error('bulk insert needs WatermelonDB SQLite adapter');
  const dispatcher = adapter._dispatcher;
  const { ops: inserts, sqls } = insertOperations(adapter, rows);
  reuseStatements(dispatcher, sqls);
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
