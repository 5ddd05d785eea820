import type { Database } from '@nozbe/watermelondb';
import { exportState, type ExportedState } from './admin';
import type { SyncRegistry } from './meta';

/** SPEC §3: one database per tenant, `trackhub_db_{tenantId}`. */
export function tenantDatabaseName(tenantId: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(tenantId)) throw new Error(`tenant id '${tenantId}' must be letters, digits, '-' or '_' (it names a database file)`);
  return `trackhub_db_${tenantId}`;
}

/**
 * Opens the database of a name (the platform decides where it lives):
 * `sqliteDatabaseFactory` (`trackhub-sync/runtime/client/sqlite`) or
 * `lokiDatabaseFactory` (`trackhub-sync/runtime/client/loki`, the web).
 */
export type DatabaseFactory = (databaseName: string) => Database;

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
