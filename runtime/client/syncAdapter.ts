import { Q, type Collection, type Database, type Model, type Query } from '@nozbe/watermelondb';
import type { Clause } from '@nozbe/watermelondb/QueryDescription/index.js';
import type { Observable } from '@nozbe/watermelondb/utils/rx/index.js';
import { uuidv7 } from 'uuidv7';
import { createLocal, createManyLocal, deleteLocal, updateLocal, type WriteContext } from './localWrites';
import type { EntityMeta } from './meta';
import { systemClock, type Clock } from './platform';
import { attachLocal } from './uploads/attach';
import type { FileSource, FileStore } from './uploads/fileStore';
import type { UploadEntry } from './uploads/uploadTable';
import { baseNames } from './baseColumns';

/** What every generated adapter is built with. */
export interface AdapterContext {
  database: Database;
  /** Value of the scope field on records created here (the tenant id). */
  scopeValue: string | null;
  clock?: Clock;
  /** Id source for records and operations. Default UUID v7. */
  newId?: () => string;
  /** Where attached files are kept until uploaded (the same store as `SyncEngineOptions.uploads.files`); needed by `attach`. */
  files?: FileStore;
}

/**
 * Read access to one synced entity. Soft-deleted records (deleted here, not
 * yet acknowledged) are hidden from `find`, `query` and `observe`.
 */
export class SyncAdapter<M extends Model> {
  constructor(
    protected readonly context: AdapterContext,
    readonly meta: EntityMeta,
  ) {}

  get collection(): Collection<M> {
    return this.context.database.get<M>(this.meta.table);
  }

  /** The record with this local id, or null (also when it is deleted). */
  async find(id: string): Promise<M | null> {
    const [record] = await this.collection.query(Q.where('id', id), Q.where(baseNames(this.meta).columns.deletedAt, null)).fetch();
    return record ?? null;
  }

  /** The record with this server id, or null. */
  async findByServerId(serverId: string): Promise<M | null> {
    const [record] = await this.collection.query(Q.where('server_id', serverId), Q.where(baseNames(this.meta).columns.deletedAt, null)).fetch();
    return record ?? null;
  }

  /** A query over live records. */
  query(...clauses: Clause[]): Query<M> {
    return this.collection.query(Q.where(baseNames(this.meta).columns.deletedAt, null), ...clauses);
  }

  /** Live records matching `clauses`, re-emitted on every change. */
  observe(...clauses: Clause[]): Observable<M[]> {
    return this.query(...clauses).observe();
  }
}

/**
 * Read and write access: every write changes the record and queues it in one
 * WatermelonDB transaction (README "Client sync").
 */
export class WritableSyncAdapter<M extends Model, Input extends object, Patch extends object> extends SyncAdapter<M> {
  private writeContext(): WriteContext {
    return {
      database: this.context.database,
      meta: this.meta,
      clock: this.context.clock ?? systemClock,
      scopeValue: this.context.scopeValue,
      newId: this.context.newId ?? uuidv7,
    };
  }

  /** Create a record (UUID v7 local id) and queue its insert. */
  async create(input: Input): Promise<M> {
    return (await createLocal(this.writeContext(), input as Record<string, unknown>)) as M;
  }

  /** Create many records and queue their inserts in one transaction (bulk import). */
  async createMany(inputs: Input[]): Promise<M[]> {
    return (await createManyLocal(this.writeContext(), inputs as Record<string, unknown>[])) as M[];
  }

  /** Change fields and queue the change (merged with earlier unsent changes). */
  async update(id: string, patch: Patch): Promise<M> {
    return (await updateLocal(this.writeContext(), id, patch as Record<string, unknown>)) as M;
  }

  /** Soft-delete and queue the delete (an unsent create is simply dropped). */
  async delete(id: string): Promise<void> {
    await deleteLocal(this.writeContext(), id);
  }

  /**
   * Attach a file to a file field (docs/PROTOCOL.md "Media"): a path or URI
   * (Node, React Native), a `Blob` / `File` (web) or bytes. The field holds
   * `upload:<uploadId>` until the background uploader is done, then the
   * object's key; its queued change is pushed only then. Detach with
   * `update(id, { field: null })`.
   */
  async attach(id: string, field: string, source: FileSource, options: { contentType?: string } = {}): Promise<UploadEntry> {
    return attachLocal(this.writeContext(), this.context.files, id, field, source, options);
  }
}
