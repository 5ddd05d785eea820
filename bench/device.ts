import BetterSqlite3 from 'better-sqlite3';
import { Database } from '@nozbe/watermelondb';
import * as sqliteModule from '@nozbe/watermelondb/adapters/sqlite';
import { interopDefault } from '../runtime/client/interop';
import { migrations, modelClasses, schema } from '../examples/trackhub-core/generated/watermelon/index';

const SQLiteAdapter = interopDefault(sqliteModule) as unknown as typeof sqliteModule.default;

/**
 * The SQLite file `<file>.db` in WAL mode, as WatermelonDB's native adapter
 * opens it on iOS and Android (native/shared/Database.cpp); its Node adapter
 * leaves SQLite's rollback journal, which makes every commit cost extra fsyncs.
 */
export function walFile(file: string): void {
  const db = new BetterSqlite3(`${file}.db`);
  db.pragma('journal_mode = WAL');
  db.close();
}

/** A device database for the benchmarks: the example's WatermelonDB schema on the SQLite adapter (Node), in `walFile(file)`. */
export function walDevice(file: string): Database {
  walFile(file);
  return new Database({ adapter: new SQLiteAdapter({ schema, migrations, dbName: file, jsi: false }), modelClasses });
}
