/**
 * Prepared-statement reuse for the bulk insert's statements on WatermelonDB's
 * Node SQLite driver (better-sqlite3).
 *
 * WatermelonDB's iOS/Android drivers keep every prepared statement
 * (`native/shared/Database-sqlite.cpp`, `cachedStatements_`); its Node driver
 * prepares the SQL again on every execute (`adapters/sqlite/sqlite-node/Database.js`,
 * `execute`: `this.instance.prepare(query).run(args)`). For the bulk insert's
 * statements (a few fixed texts of ≤ 999 bound values each, bulkInsert.ts)
 * that preparation cost as much as SQLite's insert itself (docs/PERFORMANCE.md
 * "Client apply"). Here the Node driver's `execute` reuses the statement for
 * those texts only, as a device does; every other statement runs as before.
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
export function reuseStatements(dispatcher: Dispatcher, sqls: readonly string[]): void {
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
