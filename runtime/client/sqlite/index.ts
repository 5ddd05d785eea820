import { Database, type Model } from '@nozbe/watermelondb';
import type { AppSchema } from '@nozbe/watermelondb/Schema';
import type { SchemaMigrations } from '@nozbe/watermelondb/Schema/migrations';
import * as sqliteModule from '@nozbe/watermelondb/adapters/sqlite';
import { interopDefault } from '../interop';
import type { DatabaseFactory } from '../tenantDatabase';

// `trackhub-sync/runtime/client/sqlite`: its own subpath because on Node
// WatermelonDB's SQLite adapter reaches better-sqlite3, which a web bundle
// must never see (README "Client sync"). React Native resolves the same
// import to the adapter's native build.
const SQLiteAdapter = interopDefault(sqliteModule) as unknown as typeof sqliteModule.default;

export interface SqliteFactoryOptions {
  schema: AppSchema;
  migrations?: SchemaMigrations;
  modelClasses: (typeof Model)[];
  /** Folder of the database files (Node); on a device the adapter's default location is used. */
  directory?: string;
  /** JSI on React Native (default true there); Node uses better-sqlite3 either way. */
  jsi?: boolean;
}

/** WatermelonDB's SQLite adapter (React Native; better-sqlite3 on Node). */
export function sqliteDatabaseFactory(options: SqliteFactoryOptions): DatabaseFactory {
  return (name) =>
    new Database({
      adapter: new SQLiteAdapter({
        schema: options.schema,
        migrations: options.migrations,
        dbName: options.directory ? `${options.directory.replace(/\/$/, '')}/${name}` : name,
        jsi: options.jsi ?? false,
      }),
      modelClasses: options.modelClasses,
    });
}
