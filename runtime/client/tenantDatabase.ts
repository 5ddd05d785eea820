import { Database, type Model } from '@nozbe/watermelondb';
import type { AppSchema } from '@nozbe/watermelondb/Schema';
import type { SchemaMigrations } from '@nozbe/watermelondb/Schema/migrations';
import * as sqliteModule from '@nozbe/watermelondb/adapters/sqlite';
import { exportState, type ExportedState } from './admin';
import { interopDefault } from './interop';
import type { SyncRegistry } from './meta';

const SQLiteAdapter = interopDefault(sqliteModule) as unknown as typeof sqliteModule.default;

/** README "Client sync": one database per tenant, `trackhub_db_{tenantId}`. */
export function tenantDatabaseName(tenantId: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(tenantId)) throw new Error(`tenant id '${tenantId}' must be letters, digits, '-' or '_' (it names a database file)`);
  return `trackhub_db_${tenantId}`;
}

/** Opens the database of a name (the platform decides where it lives). */
export type DatabaseFactory = (databaseName: string) => Database;

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

/**
 * Holds the database of the signed-in tenant and switches on sign-in or
 * tenant change. Databases are opened lazily and kept per tenant.
 */
export class TenantSwitcher {
  private databases = new Map<string, Database>();
  private currentTenant: string | null = null;

  constructor(private readonly factory: DatabaseFactory) {}

  /** The current tenant's database; throws before the first `switchTo`. */
  get current(): Database {
    if (this.currentTenant === null) throw new Error('no tenant selected: call switchTo(tenantId) first');
    return this.open(this.currentTenant);
  }

  get tenantId(): string | null {
    return this.currentTenant;
  }

  /** Make `tenantId` current and return its database. */
  switchTo(tenantId: string): Database {
    const db = this.open(tenantId);
    this.currentTenant = tenantId;
    return db;
  }

  /**
   * Export the tenant's pending queue and conflicts, then erase its database.
   * Stop the tenant's engine first. Returns the export.
   */
  async drop(tenantId: string, registry: SyncRegistry, now = Date.now()): Promise<ExportedState> {
    const db = this.open(tenantId);
    const exported = await exportState(db, registry, now);
    await db.write(() => db.unsafeResetDatabase());
    this.databases.delete(tenantId);
    if (this.currentTenant === tenantId) this.currentTenant = null;
    return exported;
  }

  private open(tenantId: string): Database {
    let db = this.databases.get(tenantId);
    if (!db) this.databases.set(tenantId, (db = this.factory(tenantDatabaseName(tenantId))));
    return db;
  }
}
