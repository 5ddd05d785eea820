import type { Database } from '@nozbe/watermelondb';
import { exportState, type ExportedState } from './admin';
import { adoptLocalWrites } from './adoptLocalWrites';
import type { SyncRegistry } from './meta';

/** README "Client sync": one database per tenant, `trackhub_db_{tenantId}`. */
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
   * Erase the tenant's database (logout), refusing to lose work: while
   * changes are pending or failed, or conflicts are open, it throws
   * `UnsyncedWorkError` (carrying an export of them) unless `exported` is an
   * export that holds every one of them, or `force` is set. Stop the
   * tenant's engine first (`engine.checkpoint()` flushes the queue). Returns
   * the export taken just before erasing. README "Client sync" shows the
   * logout recipe.
   */
  async drop(tenantId: string, registry: SyncRegistry, options: DropOptions = {}): Promise<ExportedState> {
    const db = this.open(tenantId);
    // App writes made the WatermelonDB way count as unsynced work too (adoptLocalWrites.ts).
    const now = options.now ?? Date.now();
    await db.write(() => adoptLocalWrites(db, registry.entities, { now }), 'trackhub-sync adopt local writes');
    const current = await exportState(db, registry, now);
    if (!options.force && !covers(options.exported, current)) throw new UnsyncedWorkError(tenantId, current);
    await db.write(() => db.unsafeResetDatabase());
    this.databases.delete(tenantId);
    if (this.currentTenant === tenantId) this.currentTenant = null;
    return current;
  }

  private open(tenantId: string): Database {
    let db = this.databases.get(tenantId);
    if (!db) this.databases.set(tenantId, (db = this.factory(tenantDatabaseName(tenantId))));
    return db;
  }
}

/** Options of `TenantSwitcher.drop`. */
export interface DropOptions {
  /** An export the caller saved: the drop proceeds when it holds every unsynced change and open conflict. */
  exported?: ExportedState;
  /** Erase even with unsynced work (it is lost, except for the returned export). */
  force?: boolean;
  /** Time stamped on the export. Default `Date.now()`. */
  now?: number;
}

/** A drop refused: the tenant has unsynced work that no saved export holds. */
export class UnsyncedWorkError extends Error {
  override name = 'UnsyncedWorkError';
  constructor(
    readonly tenantId: string,
    /** Everything that would be lost: save it, then pass it as `exported`. */
    readonly exported: ExportedState,
  ) {
    const pending = exported.queue.filter((e) => e.status !== 'failed' && e.status !== 'conflict').length;
    const failed = exported.queue.filter((e) => e.status === 'failed').length;
    super(
      `tenant ${tenantId} has unsynced work (${pending} pending, ${failed} failed, ${exported.conflicts.length} open conflicts): ` +
        'sync it (engine.checkpoint()), or save the export and pass it as `exported`, or pass `force: true`',
    );
  }
}

/** Whether `saved` holds every queue entry and open conflict of `current` (ids, and the same edits). */
function covers(saved: ExportedState | undefined, current: ExportedState): boolean {
  if (current.queue.length === 0 && current.conflicts.length === 0) return true;
  if (!saved) return false;
  const entries = new Map(saved.queue.map((e) => [e.id, e.updatedAt]));
  const conflicts = new Set(saved.conflicts.map((c) => c.id));
  return current.queue.every((e) => entries.get(e.id) === e.updatedAt) && current.conflicts.every((c) => conflicts.has(c.id));
}
