import { Database, type Model } from '@nozbe/watermelondb';
import type { AppSchema } from '@nozbe/watermelondb/Schema/index.js';
import type { SchemaMigrations } from '@nozbe/watermelondb/Schema/migrations/index.js';
import * as sqliteModule from '@nozbe/watermelondb/adapters/sqlite/index.js';
import { interopDefault } from '../interop';
import type { DatabaseFactory } from '../tenantDatabase';

// `trackhub-sync/runtime/client/sqlite`: its own subpath because on Node
// WatermelonDB's SQLite adapter reaches better-sqlite3, which a web bundle
// must never see (README "Client sync"). On React Native the adapter's own
// extensionless imports resolve to its native dispatcher. WatermelonDB has no
// `exports` map, so subpaths name their file (`…/index.js`): Node's ESM loader
// and TypeScript's NodeNext resolution do not resolve folders.
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

/**
 * WatermelonDB's SQLite adapter (React Native; better-sqlite3 on Node).
 *
 * A subpath of its own (`trackhub-sync/runtime/client/sqlite`): on Node the
 * adapter loads better-sqlite3, which a web bundle cannot contain, so the
 * core entry point never imports it (README "Web").
 */
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
