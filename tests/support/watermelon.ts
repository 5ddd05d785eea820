import { Database, type Model } from '@nozbe/watermelondb';
import type { AppSchema } from '@nozbe/watermelondb/Schema';
import type { SchemaMigrations } from '@nozbe/watermelondb/Schema/migrations';
import * as lokiModule from '@nozbe/watermelondb/adapters/lokijs';
import * as sqliteModule from '@nozbe/watermelondb/adapters/sqlite';

// WatermelonDB ships CommonJS; from ESM the class sits on `default` (ENVIRONMENT.md).
const SQLiteAdapter = ((sqliteModule as { default?: unknown }).default ?? sqliteModule) as typeof sqliteModule.default;
const LokiJSAdapter = ((lokiModule as { default?: unknown }).default ?? lokiModule) as typeof lokiModule.default;

export type AdapterKind = 'sqlite' | 'loki';

export interface GeneratedWatermelon {
  schema: AppSchema;
  migrations?: SchemaMigrations;
  modelClasses: (typeof Model)[];
}

/**
 * A real WatermelonDB database over generated code: the SQLite adapter runs
 * on better-sqlite3 (the SQL a device runs), LokiJS in memory (the web adapter).
 */
export function openDatabase(kind: AdapterKind, generated: GeneratedWatermelon, dbName = ':memory:'): Database {
  const adapter =
    kind === 'sqlite'
      ? new SQLiteAdapter({ schema: generated.schema, migrations: generated.migrations, dbName, jsi: false })
      : new LokiJSAdapter({
          schema: generated.schema,
          migrations: generated.migrations,
          dbName,
          useWebWorker: false,
          useIncrementalIndexedDB: false,
        });
  return new Database({ adapter, modelClasses: generated.modelClasses });
}
