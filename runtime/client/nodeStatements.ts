/**
 * Prepared-statement reuse on WatermelonDB's Node SQLite driver
 * (better-sqlite3): the bulk insert's statements, and the record writes of
 * `database.batch` for the tables the push writes.
 *
 * WatermelonDB's iOS/Android drivers keep every prepared statement
 * (`native/shared/Database-sqlite.cpp`, `cachedStatements_`); its Node driver
 * prepares the SQL again on every execute (`adapters/sqlite/sqlite-node/Database.js`,
 * `execute`: `this.instance.prepare(query).run(args)`). For the bulk insert's
 * statements (a few fixed texts of ≤ 999 bound values each, bulkInsert.ts)
 * that preparation cost as much as SQLite's insert itself (docs/PERFORMANCE.md
 * "Client apply"). The push's writes (queue entries marked `sending` and
 * removed, records given their server id: 30,000 statements for 10,000
 * creates, of three texts) paid the same (docs/PERFORMANCE.md "Client push").
 * Here the Node driver's `execute` reuses the statement for the registered
 * texts only, as a device does; every other statement runs as before.
 *
 * Same SQL, same arguments, same transaction: only the preparation is
 * reused. Statements belong to the better-sqlite3 connection that prepared
 * them (a reopened database prepares again). Relies on WatermelonDB 0.28's
 * Node internals (the dispatcher's `withDriver` bridge method, the driver's
 * `database.execute`); when any of them is not there (a device, another
 * adapter or version), nothing changes.
 */

interface Statement {
  run(args: unknown[]): unknown;
}
interface Connection {
  prepare(sql: string): Statement;
}
interface DriverDatabase {
  instance?: Connection;
  execute(query: string, args?: unknown[]): unknown;
}
interface Dispatcher {
  call(method: string, args: unknown[], callback: (result: unknown) => void): void;
}

/** SQL texts whose statements are kept (the bulk insert's; a few per table). */
const reusable = new Set<string>();
/** Prepared statements per better-sqlite3 connection. */
const statements = new WeakMap<Connection, Map<string, Statement>>();
/** Dispatchers already looked at (installed or found not to be Node's). */
const seen = new WeakSet<object>();

/** The Node driver's database object behind a SQLite adapter's dispatcher, or null. */
function nodeDriverDatabase(dispatcher: Dispatcher): DriverDatabase | null {
  if ((dispatcher.constructor as { name?: string } | undefined)?.name !== 'SqliteNodeDispatcher') return null;
  let found: DriverDatabase | null = null;
  const noop = () => {};
  try {
    // DatabaseBridge.withDriver(tag, resolve, reject, name, action) runs `action(driver)` synchronously on a connected database.
    dispatcher.call(
      'withDriver',
      [noop, noop, 'trackhub-sync statement reuse', (driver: { database?: DriverDatabase }) => (found = driver.database ?? null)],
      noop,
    );
  } catch {
    return null;
  }
  const database = found as DriverDatabase | null;
  return database && typeof database.execute === 'function' && typeof database.instance?.prepare === 'function' ? database : null;
}

/**
 * Lets the Node driver behind `dispatcher` reuse the prepared statements of
 * `sqls` (call before dispatching a batch that runs them). No-op elsewhere.
 */
export function reuseStatements(dispatcher: Dispatcher, sqls: Iterable<string>): void {
  for (const sql of sqls) reusable.add(sql);
  if (seen.has(dispatcher)) return;
  seen.add(dispatcher);
  const database = nodeDriverDatabase(dispatcher);
  if (!database) return;
  const original = database.execute;
  database.execute = function (this: DriverDatabase, query: string, args: unknown[] = []) {
    const connection = this.instance;
    if (!connection || !reusable.has(query)) return original.call(this, query, args);
    let byText = statements.get(connection);
    if (!byText) statements.set(connection, (byText = new Map()));
    let statement = byText.get(query);
    if (!statement) byText.set(query, (statement = connection.prepare(query)));
    return statement.run(args);
  };
}

interface TableSchema {
  name: string;
  columnArray: { name: string }[];
}
interface SqliteAdapterShape {
  schema?: { tables?: Record<string, TableSchema | undefined> };
  _dispatcher?: Dispatcher;
}

/**
 * The SQL texts WatermelonDB 0.28's `encodeBatch` (adapters/sqlite/encodeBatch)
 * gives a table's create, update, markAsDeleted and destroyPermanently: fixed
 * per table (every column is written). Should a version word them otherwise,
 * they are simply never reused.
 */
function recordWriteTexts(table: TableSchema): string[] {
  const columns = table.columnArray.map((c) => c.name);
  const name = `"${table.name}"`;
  return [
    `insert into ${name} ("id", "_status", "_changed${columns.map((c) => `", "${c}`).join('')}") values (${Array(columns.length + 3)
      .fill('?')
      .join(', ')})`,
    `update ${name} set "_status" = ?, "_changed" = ?${columns.map((c) => `, "${c}" = ?`).join('')} where "id" is ?`,
    `update ${name} set "_status" = 'deleted' where "id" == ?`,
    `delete from ${name} where "id" == ?`,
  ];
}

/** Texts already worked out, per table schema object (a schema is fixed for a database's life). */
const textsOf = new WeakMap<TableSchema, string[]>();

/**
 * Lets the Node driver behind `database` reuse the prepared statements of
 * `database.batch`'s record writes (create, update, markAsDeleted,
 * destroyPermanently) for `tables`: a few texts per table, as many
 * statements as records. Same SQL, same arguments, same transaction, and
 * the writes still go through Models (record cache, observers). No-op
 * anywhere but WatermelonDB's SQLite adapter on Node.
 */
export function reuseRecordWrites(database: { adapter: unknown }, tables: Iterable<string>): void {
  const adapter = (database.adapter as { underlyingAdapter?: SqliteAdapterShape & { constructor: { adapterType?: string } } }).underlyingAdapter;
  if (adapter?.constructor.adapterType !== 'sqlite' || typeof adapter._dispatcher?.call !== 'function') return;
  const sqls: string[] = [];
  for (const name of tables) {
    const table = adapter.schema?.tables?.[name];
    if (!table || !Array.isArray(table.columnArray)) continue;
    let texts = textsOf.get(table);
    if (!texts) textsOf.set(table, (texts = recordWriteTexts(table)));
    sqls.push(...texts);
  }
  reuseStatements(adapter._dispatcher, sqls);
}
