import { Database, type Model } from '@nozbe/watermelondb';
import type { AppSchema } from '@nozbe/watermelondb/Schema';
import type { SchemaMigrations } from '@nozbe/watermelondb/Schema/migrations';
import type { DatabaseFactory } from '../tenantDatabase';
import { DurableLokiAdapter } from './durableAdapter';
import type { WebDatabaseError } from './errors';
import { WEB_STEPS_OPTION, installWebMigrations, type WebMigrationSteps } from './webMigrations';

export interface LokiFactoryOptions {
  schema: AppSchema;
  migrations?: SchemaMigrations;
  modelClasses: (typeof Model)[];
  /**
   * The generated `webMigrationSteps` (`watermelon/migrations.ts`): what the
   * SQL-only steps do, done on LokiJS. Without it a web database skips them
   * (WatermelonDB's behaviour). Default: none.
   */
  webMigrationSteps?: WebMigrationSteps;
  /**
   * Every IndexedDB failure: set-up, a failed save (the write waiting for it
   * rejects too), quota, another tab overwriting or deleting the database.
   * Default: none (writes still reject on a failed save).
   */
  onError?: (error: WebDatabaseError) => void;
}

const adapters = new WeakMap<Database, DurableLokiAdapter>();

/** WatermelonDB 0.28's Collection keeps its records in `_cache` (what `unsafeResetDatabase` clears). */
interface RecordCacheOwner {
  _cache: { unsafeClear(): void };
}

/**
 * WatermelonDB's LokiJS adapter on IndexedDB (incremental), main thread, for
 * the web (README "Web"):
 *
 * - a write is in IndexedDB when `database.write` resolves (autosave off,
 *   an explicit save after every batch); a write whose save failed rejects
 *   and is rolled back (memory reloaded from IndexedDB, record caches
 *   cleared), so it is either durable or reported as failed, never half;
 * - the database is saved again on `pagehide` and when the page is hidden;
 * - IndexedDB failures go to `onError` as `WebDatabaseError`s;
 * - migrations run WatermelonDB's steps plus `webMigrationSteps`, so renames,
 *   drops and value resets reach LokiJS as they reach SQLite.
 *
 * One tab at a time may hold a tenant database open: open it through
 * `TabDatabase` (`trackhub-sync/runtime/client/browser`). Without IndexedDB
 * (Node, private modes) WatermelonDB falls back to memory.
 */
export function lokiDatabaseFactory(options: LokiFactoryOptions): DatabaseFactory {
  if (options.webMigrationSteps) installWebMigrations();
  const onError = options.onError ?? (() => {});
  return (name) => {
    let adapter: DurableLokiAdapter | null = null;
    adapter = new DurableLokiAdapter(
      {
        dbName: name,
        schema: options.schema,
        migrations: options.migrations,
        useWebWorker: false,
        useIncrementalIndexedDB: true,
        // Saves are explicit (DurableLokiAdapter): an autosave timer would only
        // add saves whose failures nobody awaits.
        extraLokiOptions: { autosave: false },
        extraIncrementalIDBOptions: {
          onDidOverwrite: () =>
            adapter?.reportError(
              'overwritten',
              new Error('another tab had written this database; its changes since this tab loaded were overwritten'),
            ),
          onversionchange: () =>
            adapter?.reportError('versionChange', new Error('the database was deleted or upgraded in another tab; reload the page')),
        },
        onSetUpError: (error: Error) => adapter?.reportError('setUp', error),
        onQuotaExceededError: (error: Error) => adapter?.reportError('quota', error),
        ...(options.webMigrationSteps ? { [WEB_STEPS_OPTION]: options.webMigrationSteps } : {}),
      },
      onError,
    );
    const database = new Database({ adapter, modelClasses: options.modelClasses });
    adapters.set(database, adapter);
    // After a rolled-back write, records come from the reloaded memory again (as after
    // WatermelonDB's own unsafeResetDatabase); records read before it are stale.
    adapter.onRollBack(() => {
      for (const collection of Object.values(database.collections.map)) (collection as unknown as RecordCacheOwner)._cache.unsafeClear();
    });
    const target = globalThis as {
      addEventListener?: typeof addEventListener;
      removeEventListener?: typeof removeEventListener;
      document?: Document;
    };
    if (typeof target.addEventListener === 'function') {
      const save = () => void adapter!.save().catch(() => {}); // a failure is already in onError
      const onVisibility = () => target.document?.visibilityState === 'hidden' && save();
      target.addEventListener('pagehide', save);
      target.addEventListener('visibilitychange', onVisibility);
      adapter.onClose(() => {
        target.removeEventListener!('pagehide', save);
        target.removeEventListener!('visibilitychange', onVisibility);
      });
    }
    return database;
  };
}

function adapterOf(database: Database): DurableLokiAdapter {
  const adapter = adapters.get(database);
  if (!adapter) throw new Error('not a database of lokiDatabaseFactory');
  return adapter;
}

/** Write the database to IndexedDB now (every write already is when it resolves). */
export function saveDatabase(database: Database): Promise<void> {
  return adapterOf(database).save();
}

/**
 * Save, then close the database in this tab: later reads and writes on it
 * fail. Done before another tab takes the database over.
 */
export function closeDatabase(database: Database): Promise<void> {
  return adapterOf(database).close();
}

/**
 * Whether the database is closed in this tab: closed by `closeDatabase`, or
 * after a failed save whose rollback could not reload IndexedDB.
 */
export function databaseClosed(database: Database): boolean {
  return adapterOf(database).isClosed;
}

/** Resolves once the database is loaded and migrated (rejects when set-up failed). */
export function databaseReady(database: Database): Promise<void> {
  return adapterOf(database).ready();
}
