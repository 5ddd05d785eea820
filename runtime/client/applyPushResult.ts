import { Q, type Database, type Model } from '@nozbe/watermelondb';
import { prepareEngineUpdate } from './adoptLocalWrites';
import { CONFLICT_TABLE, localSnapshot, prepareConflict, setAll, toLocalRaw, type ConflictType } from './conflicts';
import type { RawColumns, WireRecord } from './mapping';
import type { EntityMeta } from './meta';
import { backoffDelay } from './platform';
import type { PushOptions, PushReport } from './push';
import { fetchQueue, readEntry, type QueueEntry } from './queue';
import { NON_RETRYABLE_CODES, type PushItem, type PushResult } from './transport';
import { rawOf } from './rawRecord';
import { baseNames } from './baseColumns';

/** One queue entry as sent in a push batch, with its record. */
export interface Prepared {
  row: Model;
  entry: QueueEntry;
  record: Model;
  item: PushItem;
}

/**
 * Work out what a result means (reading whatever it needs), and return the
 * synchronous step that prepares the writes. WatermelonDB requires prepared
 * records to reach `batch()` without an `await` in between (Model.prepareUpdate).
 */
export async function planResult(
  options: PushOptions,
  meta: EntityMeta,
  p: Prepared,
  result: PushResult,
  now: number,
  report: PushReport,
): Promise<() => Model[]> {
  const { entry, row, record } = p;
  const col = baseNames(meta).columns;
  if (result.success) {
    report.acknowledged += 1;
    if (entry.operation === 'delete') {
      const conflicts = await openConflicts(options.database, meta, entry.entityId);
      return () => [row.prepareDestroyPermanently(), markDeleted(record, result.updatedAt, meta), ...conflicts.map(closeConflict)];
    }
    // A pull saw this very version while the change was pending: take the server's values
    // (a serverMerge result can differ from what was sent), except fields edited since.
    const seen = readEntry(row).serverSeen;
    if (seen?.deleted) {
      // A pull reported the record deleted while this change was pending: the server refuses
      // changes to deleted records, so this one was committed before the deletion.
      return () => [row.prepareDestroyPermanently(), markDeleted(record, null, meta)];
    }
    let serverRaw: RawColumns | null = null;
    if (seen?.record && result.version != null && seen.version === result.version) {
      serverRaw = await toLocalRaw(options.database, options.registry, meta.name, seen.record);
      await dropLaterEdits(options, meta, entry, serverRaw);
    }
    return () => [
      row.prepareDestroyPermanently(),
      prepareEngineUpdate(record, (r) => {
        if (serverRaw) setAll(r, serverRaw);
        if (result.id) r._setRaw('server_id', result.id);
        if (result.version != null) r._setRaw(col.version, result.version);
        if (result.updatedAt) r._setRaw(col.updatedAt, Date.parse(result.updatedAt));
      }),
    ];
  }
  const code = result.errorCode ?? 'INTERNAL';
  const message = `${code}: ${result.errorMessage ?? 'rejected'}`;
  if (code === 'NOT_FOUND' && entry.operation === 'delete') {
    // Already gone on the server: the delete is done.
    report.acknowledged += 1;
    const conflicts = await openConflicts(options.database, meta, entry.entityId);
    return () => [row.prepareDestroyPermanently(), markDeleted(record, null, meta), ...conflicts.map(closeConflict)];
  }
  if (code === 'CONFLICT' || (code === 'NOT_FOUND' && entry.operation === 'update')) {
    const serverData = code === 'CONFLICT' ? (result.conflict?.serverData ?? null) : null;
    const type = (code === 'NOT_FOUND' ? 'DELETED' : (result.conflict?.conflictType ?? 'VERSION_MISMATCH')) as ConflictType;
    const serverVersion = result.conflict?.serverVersion ?? (serverData?.[baseNames(meta).keys.version] as number | undefined) ?? 0;
    const conflict = {
      entity: meta.name,
      entityId: entry.entityId,
      localData: localSnapshot(options.registry, meta.name, record),
      serverData,
      suggested: (result.conflict?.resolutionSuggested as WireRecord | null | undefined) ?? null,
      localVersion: Number(rawOf(record)[col.version] ?? 0),
      serverVersion,
      conflictType: type,
      createdAt: now,
    };
    if (type === 'SERVER_NEWER' && serverData) {
      // docs/PROTOCOL.md "Conflicts", lastWriteWins: the later write wins, here the server's. Take it now (fields
      // with newer unsent local edits excepted) and keep the overwritten local data as a resolved row.
      report.acknowledged += 1;
      const serverRaw = await toLocalRaw(options.database, options.registry, meta.name, serverData);
      await dropLaterEdits(options, meta, entry, serverRaw);
      return () => [
        prepareConflict(options.database, conflict, true),
        row.prepareDestroyPermanently(),
        prepareEngineUpdate(record, (r) => {
          setAll(r, serverRaw);
          r._setRaw(col.version, serverVersion);
        }),
      ];
    }
    report.conflicts += 1;
    return () => [
      prepareConflict(options.database, conflict),
      row.prepareUpdate((r) => {
        r._setRaw('status', 'conflict');
        r._setRaw('last_error', message);
        r._setRaw('attempts', entry.attempts + 1);
      }),
    ];
  }
  if (NON_RETRYABLE_CODES.has(code)) {
    report.failed += 1;
    return () => [park(p, message)];
  }
  return () => [retryLater(options, p, message, now)];
}

/**
 * Back to `pending` and schedule the next attempt (exponential backoff with
 * jitter). `attempts` was counted when the entry was marked `sending`
 * (`p.entry` is the entry as read before that).
 */
export function retryLater(options: PushOptions, p: Prepared, message: string, now: number): Model {
  const attempts = p.entry.attempts + 1;
  const delay = backoffDelay(attempts, options.platform.random, options.backoff?.initialMs, options.backoff?.maxMs);
  return p.row.prepareUpdate((r) => {
    r._setRaw('status', 'pending');
    r._setRaw('attempts', attempts);
    r._setRaw('next_attempt_at', now + delay);
    r._setRaw('last_error', message);
  });
}

/** Stop retrying: the entry becomes `failed` with the reason (a later edit gives it another chance). */
export function park(p: Prepared, message: string): Model {
  return p.row.prepareUpdate((r) => {
    r._setRaw('status', 'failed');
    r._setRaw('attempts', p.entry.attempts + 1);
    r._setRaw('last_error', message);
  });
}

/** Remove from `serverRaw` the columns that later queued edits of the same record change. */
async function dropLaterEdits(options: PushOptions, meta: EntityMeta, entry: QueueEntry, serverRaw: RawColumns): Promise<void> {
  const later = (await fetchQueue(options.database, { entity: meta.name, entityIds: [entry.entityId] })).filter((e) => e.id !== entry.id);
  for (const e of later) {
    for (const key of Object.keys(readEntry(e).payload)) {
      const field = meta.fields.find((f) => f.name === key);
      if (field) delete serverRaw[field.column];
    }
  }
}

/**
 * A deleted record stays as a soft-deleted row (hidden by the adapters): its
 * local id -> server id mapping is still needed by children queued with it.
 */
export function markDeleted(record: Model, updatedAt: string | null, meta: EntityMeta): Model {
  const col = baseNames(meta).columns;
  return prepareEngineUpdate(record, (r) => {
    const raw = rawOf(r);
    r._setRaw(col.deletedAt, raw[col.deletedAt] ?? Date.now());
    if (updatedAt) r._setRaw(col.updatedAt, Date.parse(updatedAt));
  });
}

/** Open conflicts of a record that is now deleted: nothing is left to decide. */
async function openConflicts(database: Database, meta: EntityMeta, entityId: string): Promise<Model[]> {
  return database.get<Model>(CONFLICT_TABLE).query(Q.where('entity', meta.name), Q.where('entity_id', entityId), Q.where('resolved', false)).fetch();
}

function closeConflict(row: Model): Model {
  return row.prepareUpdate((r) => r._setRaw('resolved', true));
}
