import { Q, type Database, type Model } from '@nozbe/watermelondb';
import { uuidv7 } from 'uuidv7';
import { columnToWire, type RawColumns, type WireRecord } from './mapping';
import type { EntityMeta } from './meta';
import { fetchQueue, hasQueuedChildren, maybeCommitted, prepareQueueEntry, type QueueOperation } from './queue';
import { queueRowOf, rawOf } from './rawRecord';
import { baseNames } from './baseColumns';

/**
 * Writes made the WatermelonDB way (`collection.create`, `record.update`,
 * `markAsDeleted`, `@writer` methods) bypass the adapters and their queue.
 * WatermelonDB still records them in every row's `_status` / `_changed`
 * columns; the engine's own writes never do (see `prepareEngineUpdate`), so
 * whatever those columns show was written by the app. Adoption turns each such
 * record into queue entries (README "Client sync", docs/PROTOCOL.md "Writes
 * made through WatermelonDB").
 */

/** What adoption did, per kind of operation queued. */
export interface AdoptReport {
  inserts: number;
  updates: number;
  deletes: number;
}

/**
 * A `prepareUpdate` that leaves WatermelonDB's change tracking (`_status`,
 * `_changed`) and `updated_at` (which `prepareUpdate` touches with the local
 * clock) as they were unless `update` sets them: an engine write must never
 * look like an app write to `adoptLocalWrites`.
 */
export function prepareEngineUpdate(record: Model, update: (record: Model) => void, tracking: 'keep' | 'clear' = 'keep'): Model {
  const raw = rawOf(record);
  const { _status: status, _changed: changed, updated_at: updatedAt } = raw;
  return record.prepareUpdate((r) => {
    // Restored first: `update` may set its own `updated_at`.
    if ('updated_at' in raw) raw.updated_at = updatedAt!;
    update(r);
    raw._status = tracking === 'clear' ? 'synced' : status!;
    raw._changed = tracking === 'clear' ? '' : changed!;
  });
}

/** Options of one adoption pass. */
export interface AdoptOptions {
  /** Look at these local ids only (a write through an adapter adopts its own record first). */
  ids?: string[];
  /** Time of records whose row has no `updated_at`. */
  now: number;
  /** Operation ids; default UUID v7. */
  newId?: () => string;
}

/**
 * Queue every app write WatermelonDB tracked and mark those records synced
 * with the queue as their source of truth. Must run inside a writer
 * (`database.write`): no other write can slip in between reading the rows and
 * the batch that queues them.
 *
 * - `created` rows become `insert` entries with every pushable field.
 * - `updated` rows become `update` entries with the changed pushable columns
 *   (`_changed`). WatermelonDB keeps no previous values, so the entry has no
 *   base values: under `serverMerge`, a stale update of a field whose rule
 *   needs its base (counter, append, union) is refused (`failed`) instead of
 *   merged wrongly.
 * - `deleted` rows (`markAsDeleted`) become the engine's soft delete
 *   (`deleted_at`) with a `delete` entry; a record the server never saw is
 *   removed with its unsent insert. `destroyPermanently()` leaves no trace
 *   and cannot be synced: use `markAsDeleted()` or the adapter's `delete`.
 */
export async function adoptLocalWrites(database: Database, entities: readonly EntityMeta[], options: AdoptOptions): Promise<AdoptReport> {
  const report: AdoptReport = { inserts: 0, updates: 0, deletes: 0 };
  const metas = entities.filter((m) => m.direction !== 'pullOnly');
  const newId = options.newId ?? uuidv7;
  for (const meta of metas) {
    const collection = database.get<Model>(meta.table);
    const col = baseNames(meta).columns;
    const only = options.ids ? [Q.where('id', Q.oneOf(options.ids))] : [];
    // Two queries rather than notEq('synced'): what WatermelonDB's own sync does (faster on LokiJS).
    const [created, updated, deletedIds] = await Promise.all([
      collection.query(Q.where('_status', 'created'), ...only).fetch(),
      collection.query(Q.where('_status', 'updated'), ...only).fetch(),
      database.adapter.getDeletedRecords(meta.table),
    ]);
    const deletedWanted = options.ids ? deletedIds.filter((id) => options.ids!.includes(id)) : deletedIds;
    if (created.length + updated.length + deletedWanted.length === 0) continue;
    const deleted = await Promise.all(deletedWanted.map((id) => collection.find(id)));
    const entries = new Map<string, Model[]>();
    const touched = [...created, ...updated, ...deleted].map((r) => r.id);
    for (const e of await fetchQueue(database, { entity: meta.name, entityIds: touched })) {
      const id = queueRowOf(e).entity_id;
      entries.set(id, [...(entries.get(id) ?? []), e]);
    }
    // A record whose children have queued changes keeps its insert: the children need its server id.
    const referenced = new Set<string>();
    for (const record of deleted) if (await hasQueuedChildren(database, meta, record.id)) referenced.add(record.id);
    // From here on only synchronous prepare* calls until batch(): WatermelonDB requires
    // prepared records to reach batch() without an await in between (Model.prepareUpdate).
    const ops: Model[] = [];
    const queue = (operation: QueueOperation, record: Model, payload: WireRecord, base: WireRecord | null) => {
      const stamped = rawOf(record)[col.updatedAt];
      const at = typeof stamped === 'number' ? stamped : options.now;
      ops.push(prepareQueueEntry(database, { id: newId(), entity: meta.name, operation, entityId: record.id, payload, base, now: at }));
    };
    for (const record of created) {
      const raw = rawOf(record);
      const mine = entries.get(record.id) ?? [];
      // A row the engine created before it kept `_status` clean: already queued or acknowledged.
      if (raw.server_id !== null || mine.some((e) => queueRowOf(e).operation === 'insert')) {
        ops.push(markSynced(record, {}));
        continue;
      }
      const columns: RawColumns = { [col.clientId]: record.id, server_id: null, [col.version]: 0, [col.deletedAt]: null };
      const payload: WireRecord = {};
      for (const field of meta.fields) {
        if (field.push === 'never') continue;
        payload[field.name] = columnToWire(field, raw[field.column]);
      }
      ops.push(markSynced(record, columns));
      queue('insert', record, payload, null);
      report.inserts += 1;
    }
    for (const record of updated) {
      const raw = rawOf(record);
      const changed = new Set(
        String(raw._changed ?? '')
          .split(',')
          .filter(Boolean),
      );
      const fields = meta.fields.filter((f) => f.push === 'always' && changed.has(f.column));
      ops.push(markSynced(record, {}));
      if (raw[col.deletedAt] !== null || fields.length === 0) continue;
      queue('update', record, Object.fromEntries(fields.map((f) => [f.name, columnToWire(f, raw[f.column])])), {});
      report.updates += 1;
    }
    for (const record of deleted) {
      const raw = { ...rawOf(record) };
      const mine = entries.get(record.id) ?? [];
      const isReferenced = referenced.has(record.id);
      // Never one that may have reached the server: it may be creating it (queue.ts `maybeCommitted`).
      const unsent =
        raw.server_id === null && !isReferenced && mine.every((e) => queueRowOf(e).operation === 'insert' && !maybeCommitted(queueRowOf(e)));
      ops.push(record.prepareDestroyPermanently());
      report.deletes += 1;
      if (unsent) {
        ops.push(...mine.map((e) => e.prepareDestroyPermanently()));
        continue;
      }
      // The row comes back as the engine's soft delete: its local id -> server id mapping is
      // still needed by the push (and by children queued with it).
      ops.push(collection.prepareCreateFromDirtyRaw({ ...raw, _status: 'synced', _changed: '', [col.deletedAt]: options.now }));
      if (!mine.some((e) => queueRowOf(e).operation === 'delete')) queue('delete', record, {}, null);
    }
    await database.batch(...ops);
  }
  return report;
}

/** Clear the record's WatermelonDB change tracking (the queue now holds its changes). */
function markSynced(record: Model, columns: RawColumns): Model {
  return prepareEngineUpdate(
    record,
    (r) => {
      for (const [column, value] of Object.entries(columns)) r._setRaw(column, value);
    },
    'clear',
  );
}
