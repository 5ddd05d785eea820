import { Q, type Database, type Model } from '@nozbe/watermelondb';
import { adoptLocalWrites, prepareEngineUpdate } from './adoptLocalWrites';
import { CONFLICT_TABLE } from './conflicts';
import { columnToWire, inputToColumn, wireToColumn, type RawColumns, type WireRecord } from './mapping';
import { pushable, type EntityMeta } from './meta';
import type { Clock } from './platform';
import {
  decodeBase,
  encodeBase,
  fetchQueue,
  hasQueuedChildren,
  maybeCommitted,
  prepareQueueEntry,
  prepareRenewedEntry,
  type QueueEntry,
  type QueueOperation,
} from './queue';
import { queueRowOf, rawOf } from './rawRecord';
import { baseNames } from './baseColumns';

/** What a local write needs: the database, the entity, a clock, the scope value and an id source. */
export interface WriteContext {
  database: Database;
  meta: EntityMeta;
  clock: Clock;
  /** Value of the entity's scope field (the tenant) on records created here. */
  scopeValue: string | null;
  /** New ids for records and operations (UUID v7: time-ordered, unique per device). */
  newId: () => string;
}

/** A write the adapter refused before touching the database. */
export class LocalWriteError extends Error {
  override name = 'LocalWriteError';
}

/**
 * Create a record and its `insert` queue entry in one transaction (README "Client sync":
 * a crash can never leave one without the other). Returns the new record.
 */
export async function createLocal(ctx: WriteContext, input: Record<string, unknown>): Promise<Model> {
  const [record] = await createManyLocal(ctx, [input]);
  return record!;
}

/** Create many records and their queue entries in one transaction (bulk import). */
export async function createManyLocal(ctx: WriteContext, inputs: Record<string, unknown>[]): Promise<Model[]> {
  const { database, meta, clock } = ctx;
  const now = clock.now();
  const built = inputs.map((input) => buildCreate(ctx, input, now));
  return database.write(async () => {
    const collection = database.get<Model>(meta.table);
    const ops: Model[] = [];
    const records: Model[] = [];
    for (const { raw, payload } of built) {
      const record = collection.prepareCreateFromDirtyRaw(raw);
      records.push(record);
      ops.push(record, prepareEntry(ctx, 'insert', raw.id as string, payload, null, now));
    }
    await database.batch(ops);
    return records;
  }, `trackhub-sync create ${meta.name}`);
}

function buildCreate(ctx: WriteContext, input: Record<string, unknown>, now: number): { raw: RawColumns; payload: WireRecord } {
  const { meta } = ctx;
  const id = ctx.newId();
  const col = baseNames(meta).columns;
  const raw: RawColumns = {
    id,
    _status: 'synced',
    _changed: '',
    server_id: null,
    [col.clientId]: id,
    [col.version]: 0,
    [col.updatedAt]: now,
    [col.deletedAt]: null,
  };
  for (const key of Object.keys(input)) {
    const field = meta.fields.find((f) => f.name === key);
    if (!field || field.push === 'never') throw new LocalWriteError(`${meta.name}: '${key}' cannot be set by the client`);
  }
  for (const field of meta.fields) {
    if (Object.hasOwn(input, field.name) && input[field.name] !== undefined) {
      raw[field.column] = inputToColumn(field, input[field.name]);
    } else if (field.name === meta.scope) {
      raw[field.column] = ctx.scopeValue;
    } else if (field.name === 'createdAt' && field.kind === 'date') {
      raw[field.column] = now;
    } else if (field.column in raw) {
      // Set above: server-managed columns of a record the server has not seen yet.
    } else if (field.default !== undefined) {
      raw[field.column] = wireToColumn(field, field.default);
    } else {
      raw[field.column] = field.list ? '[]' : null;
    }
    if (raw[field.column] === null && !field.optional && field.push !== 'never') {
      throw new LocalWriteError(`${meta.name}: '${field.name}' is required`);
    }
  }
  const payload: WireRecord = {};
  for (const field of pushable(meta, 'insert')) payload[field.name] = columnToWire(field, raw[field.column]);
  return { raw, payload };
}

/**
 * Change fields of a record and queue the change in one transaction. Repeated
 * updates merge into one entry (keeping the earliest base values); an update
 * after an unsent insert folds into the insert. An entry the server may
 * already hold is never changed: the edit queues a new operation.
 */
export async function updateLocal(
  ctx: WriteContext,
  id: string,
  patch: Record<string, unknown>,
  /** More writes for the same transaction (attach: the upload row): read with the record, prepared right before the batch. */
  extra?: (record: Model) => Promise<() => Model[]>,
): Promise<Model> {
  const { database, meta, clock } = ctx;
  const byName = new Map(pushable(meta, 'update').map((f) => [f.name, f]));
  for (const key of Object.keys(patch)) {
    if (!byName.has(key)) throw new LocalWriteError(`${meta.name}: '${key}' cannot be changed by the client`);
  }
  return database.write(async () => {
    // An app write to this record made the WatermelonDB way is queued first (adoptLocalWrites.ts).
    await adoptLocalWrites(database, [meta], { ids: [id], now: clock.now(), newId: ctx.newId });
    const record = await database.get<Model>(meta.table).find(id);
    const raw = rawOf(record);
    const col = baseNames(meta).columns;
    if (raw[col.deletedAt] !== null) throw new LocalWriteError(`${meta.name} ${id} is deleted`);
    const columns: RawColumns = {};
    const payload: WireRecord = {};
    const base: WireRecord = {};
    for (const [key, value] of Object.entries(patch)) {
      if (value === undefined) continue;
      const field = byName.get(key)!;
      const column = inputToColumn(field, value);
      if (column === null && !field.optional) throw new LocalWriteError(`${meta.name}: '${key}' is required`);
      if (column === raw[field.column]) continue;
      columns[field.column] = column;
      payload[field.name] = columnToWire(field, column);
      base[field.name] = columnToWire(field, raw[field.column]);
    }
    if (Object.keys(payload).length === 0) return record;
    const prepareExtra = extra ? await extra(record) : () => [];
    const now = clock.now();
    // Read before preparing: prepared records must reach batch() without an await in between.
    const foldInto = (await foldable(database, meta.name, id)).at(-1);
    if (foldInto && queueRowOf(foldInto).operation === 'delete') throw new LocalWriteError(`${meta.name} ${id} is deleted`);
    // An edit after a refusal queues behind the refused entry: a merge resolution re-applies it
    // on top of the server's suggestion, against its own base (mergeResolution.ts).
    const last = foldInto && queueRowOf(foldInto).status !== 'conflict' ? foldInto : undefined;
    const ops: Model[] = [
      prepareEngineUpdate(record, (r) => {
        for (const [column, value] of Object.entries(columns)) r._setRaw(column, value);
        r._setRaw(col.updatedAt, now);
      }),
    ];
    if (last) {
      const entry = queueRowOf(last);
      const merged = { ...(JSON.parse(entry.payload) as WireRecord), ...payload };
      const stored = decodeBase(entry.base);
      // The earliest base value of a field wins; what a pull saw of the server stays.
      const mergedBase = entry.operation === 'update' ? { ...base, ...stored.base } : null;
      if (entry.status === 'failed') {
        // An edit gives a parked entry another chance, under a new operation id: the server may
        // keep the refusal of the old id and answer a resend of it with that (docs/PROTOCOL.md).
        ops.push(last.prepareDestroyPermanently(), prepareRenewedEntry(ctx.database, last, ctx.newId(), { payload: merged, base: mergedBase, now }));
      } else {
        ops.push(
          last.prepareUpdate((e) => {
            e._setRaw('payload', JSON.stringify(merged));
            if (mergedBase) e._setRaw('base', encodeBase(mergedBase, stored.serverSeen));
            e._setRaw('updated_at', now);
          }),
        );
      }
    } else {
      ops.push(prepareEntry(ctx, 'update', id, payload, base, now));
    }
    await database.batch(...ops, ...prepareExtra());
    return record;
  });
}

/**
 * Soft-delete a record and queue the delete in one transaction. Deleting a
 * record whose insert never reached the server removes both. An insert that
 * may have reached it (`maybeCommitted`, even before a crash) gets a delete
 * queued after it instead.
 */
export async function deleteLocal(ctx: WriteContext, id: string): Promise<void> {
  const { database, meta, clock } = ctx;
  await database.write(async () => {
    await adoptLocalWrites(database, [meta], { ids: [id], now: clock.now(), newId: ctx.newId });
    const record = await database.get<Model>(meta.table).find(id);
    const col = baseNames(meta).columns;
    if (rawOf(record)[col.deletedAt] !== null) return;
    const entries = await foldable(database, meta.name, id);
    const all = await fetchQueue(database, { entity: meta.name, entityIds: [id] });
    // A child with queued changes that points at this record (indexed key columns): then the insert must still reach the server.
    const referenced = await hasQueuedChildren(database, meta, id);
    const insert = all.find((e) => queueRowOf(e).operation === 'insert');
    // Never sent, or refused outright (a refused create wrote nothing): the server does not have it.
    const unsent =
      !referenced &&
      entries.length === all.length &&
      insert !== undefined &&
      (queueRowOf(insert).attempts === 0 || queueRowOf(insert).status === 'failed');
    // A delete settles the record's open conflicts: the change they refused is dropped with it, and
    // the delete is based on the newest server version they showed (as keep-local would be).
    const conflicts = await openConflicts(database, meta.name, id);
    const shown = Math.max(rawOf(record)[col.version] as number, ...conflicts.map((c) => rawOf(c).server_version as number));
    const settled = conflicts.map((c) => c.prepareUpdate((r) => r._setRaw('resolved', true)));
    if (unsent) {
      await database.batch(record.prepareDestroyPermanently(), ...entries.map((e) => e.prepareDestroyPermanently()), ...settled);
      return;
    }
    const now = clock.now();
    const ops: Model[] = [
      prepareEngineUpdate(record, (r) => {
        r._setRaw(col.deletedAt, now);
        r._setRaw(col.updatedAt, now);
        r._setRaw(col.version, shown);
      }),
    ];
    // Pending updates are moot once the record is deleted; a possibly-sent insert stays (it may exist
    // on the server). What a pull told about the server's record moves to the delete (see queue.ts).
    let seen: QueueEntry['serverSeen'] = null;
    for (const e of entries) {
      if (queueRowOf(e).operation !== 'update') continue;
      const stored = decodeBase(queueRowOf(e).base).serverSeen;
      if (stored && (!seen || stored.version > seen.version)) seen = stored;
      ops.push(e.prepareDestroyPermanently());
    }
    ops.push(prepareEntry(ctx, 'delete', id, {}, null, now, seen), ...settled);
    await database.batch(...ops);
  });
}

/** Unresolved conflict rows of one record. */
function openConflicts(database: Database, entity: string, id: string): Promise<Model[]> {
  return database.get<Model>(CONFLICT_TABLE).query(Q.where('entity_id', id), Q.where('entity', entity), Q.where('resolved', false)).fetch();
}

/**
 * Queue rows of a record that a new write may fold into: never one the server
 * may already hold (`sending`, or pending after an attempt; the mark is
 * durable, see `maybeCommitted`), since a replay of its operation id returns
 * the original result without applying a folded change. Parked (`failed`)
 * and `conflict` entries were refused: a delete replaces them, a parked one
 * absorbs edits and is sent again only under a new operation id, and an
 * update queues behind a conflict (`updateLocal`).
 */
async function foldable(database: Database, entity: string, id: string): Promise<Model[]> {
  return (await fetchQueue(database, { entity, entityIds: [id] })).filter((e) => !maybeCommitted(queueRowOf(e)));
}

function prepareEntry(
  ctx: WriteContext,
  operation: QueueOperation,
  entityId: string,
  payload: WireRecord,
  base: WireRecord | null,
  now: number,
  serverSeen: QueueEntry['serverSeen'] = null,
): Model {
  return prepareQueueEntry(ctx.database, { id: ctx.newId(), entity: ctx.meta.name, operation, entityId, payload, base, serverSeen, now });
}
