import { Q, type Database, type Model } from '@nozbe/watermelondb';
import { CONFLICT_TABLE, listConflicts, type ConflictEntry } from './conflicts';
import type { EntityMeta, SyncRegistry } from './meta';
import { uuidv7 } from 'uuidv7';
import { fetchQueue, listQueue, prepareRenewedEntry, QUEUE_TABLE, type QueueEntry } from './queue';
import { STATE_TABLE } from './syncState';
import { rawOf } from './rawRecord';
import { fetchUploads, listUploads, readUpload, type UploadEntry } from './uploads/uploadTable';

/** Everything a destructive operation could lose: the pending queue, the open conflicts and the unfinished uploads. */
export interface ExportedState {
  exportedAt: string;
  queue: QueueEntry[];
  conflicts: ConflictEntry[];
  /**
   * Uploads not done (pending, in flight, failed), with the local file each
   * refers to (`localRef`): a force sync or wipe drops the rows but never
   * deletes those files, so the export stays usable (docs/PROTOCOL.md "Media").
   */
  uploads: UploadEntry[];
}

/** The queue, open conflicts and unfinished uploads, ready for `JSON.stringify`. */
export async function exportState(database: Database, _registry: SyncRegistry, now: number): Promise<ExportedState> {
  return {
    exportedAt: new Date(now).toISOString(),
    queue: await listQueue(database),
    conflicts: await listConflicts(database),
    uploads: await listUploads(database, ['pending', 'uploading', 'failed']),
  };
}

/**
 * Drop every local change of the entities (queue entries, conflicts, records
 * never acknowledged) and forget their pull position, so the next pull
 * reloads them from scratch. The caller exports first.
 */
export async function forceSyncFromServer(database: Database, metas: EntityMeta[]): Promise<void> {
  const names = metas.map((m) => m.name);
  await database.write(async () => {
    // Rows are gathered first and prepared together: prepared records must reach batch() without an await.
    const rows: Model[] = (await fetchQueue(database)).filter((entry) => names.includes(raw(entry).entity as string));
    rows.push(
      ...(await database
        .get<Model>(CONFLICT_TABLE)
        .query(Q.where('entity', Q.oneOf(names)))
        .fetch()),
    );
    rows.push(
      ...(await database
        .get<Model>(STATE_TABLE)
        .query(Q.where('entity', Q.oneOf(names)))
        .fetch()),
    );
    for (const meta of metas) rows.push(...(await database.get<Model>(meta.table).query(Q.where('server_id', null)).fetch()));
    // Their queued changes are gone, so are the uploads those waited for (the export lists them).
    rows.push(...(await fetchUploads(database, ['pending', 'uploading', 'failed'])).filter((u) => names.includes(readUpload(u).entity)));
    await database.batch(rows.map((r) => r.prepareDestroyPermanently()));
  }, 'trackhub-sync force sync from server');
}

/**
 * Give parked (failed) entries another try, right away, each under a new
 * operation id (the server may answer the old id with its refusal); pending
 * entries lose their backoff wait.
 */
export async function resetFailed(database: Database): Promise<void> {
  await database.write(async () => {
    const rows = await database
      .get<Model>(QUEUE_TABLE)
      .query(Q.where('status', Q.oneOf(['failed', 'pending'])))
      .fetch();
    await database.batch(
      ...rows.flatMap((r) =>
        raw(r).status === 'failed'
          ? [r.prepareDestroyPermanently(), prepareRenewedEntry(database, r, uuidv7())]
          : [r.prepareUpdate((e) => e._setRaw('next_attempt_at', null))],
      ),
    );
  }, 'trackhub-sync reset failed');
}

/**
 * Remove a space from this device: the space record itself (entities whose id
 * is the space id) and every record whose `spaceId` is it, with their queue
 * entries and conflicts. `spaceId` is the local id (the server id for spaces first seen in a pull).
 */
export async function wipeSpace(database: Database, registry: SyncRegistry, spaceId: string): Promise<number> {
  return database.write(async () => {
    // Rows are gathered first and prepared together: prepared records must reach batch() without an await.
    const doomed: Model[] = [];
    const removed = new Map<string, Set<string>>();
    for (const meta of registry.entities) {
      const spaceField = meta.fields.find((f) => f.name === 'spaceId');
      const clauses = [Q.where('id', spaceId), ...(spaceField ? [Q.where(spaceField.column, spaceId)] : [])];
      const rows = await database
        .get<Model>(meta.table)
        .query(Q.or(...clauses))
        .fetch();
      if (!meta.fields.some((f) => f.name === 'spaceId') && rows.every((r) => r.id !== spaceId)) continue;
      removed.set(meta.name, new Set(rows.map((r) => r.id)));
      doomed.push(...rows);
    }
    for (const entry of await fetchQueue(database)) {
      if (removed.get(raw(entry).entity as string)?.has(raw(entry).entity_id as string)) doomed.push(entry);
    }
    for (const c of await database.get<Model>(CONFLICT_TABLE).query().fetch()) {
      if (removed.get(raw(c).entity as string)?.has(raw(c).entity_id as string)) doomed.push(c);
    }
    for (const u of await fetchUploads(database)) {
      if (removed.get(readUpload(u).entity)?.has(readUpload(u).entityId)) doomed.push(u);
    }
    await database.batch(doomed.map((r) => r.prepareDestroyPermanently()));
    return [...removed.values()].reduce((n, s) => n + s.size, 0);
  }, 'trackhub-sync wipe space');
}

const raw = (m: Model) => rawOf(m);
