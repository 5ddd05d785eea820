import { Q, type Database, type Model } from '@nozbe/watermelondb';
import type { QueueOperation, QueueStatus } from '../../protocol/index';
import type { WireRecord } from './mapping';
import { childLinks, type EntityMeta } from './meta';
import { queueRowOf } from './rawRecord';

/** Table of the outbox (generated as the `SyncOperation` model). */
export const QUEUE_TABLE = 'operation_queue';

export type { QueueOperation, QueueStatus } from '../../protocol/index';

/** What a new queue entry holds; everything else starts fresh (pending, no attempts). */
export interface NewQueueEntry {
  /** Operation id (UUID v7). */
  id: string;
  entity: string;
  operation: QueueOperation;
  entityId: string;
  payload: WireRecord;
  base: WireRecord | null;
  /** What a pull saw of the server's record (a delete inherits it from the updates it replaces). */
  serverSeen?: QueueEntry['serverSeen'];
  now: number;
  /** Place in the queue (default `now`): a renewed entry keeps the one of the entry it replaces. */
  createdAt?: number;
}

/** A pending queue entry, prepared for the same `database.batch` as the record change it records. */
export function prepareQueueEntry(database: Database, entry: NewQueueEntry): Model {
  return database.get<Model>(QUEUE_TABLE).prepareCreateFromDirtyRaw({
    id: entry.id,
    entity: entry.entity,
    operation: entry.operation,
    entity_id: entry.entityId,
    payload: JSON.stringify(entry.payload),
    base: encodeBase(entry.base, entry.serverSeen ?? null),
    status: 'pending',
    attempts: 0,
    next_attempt_at: null,
    last_error: null,
    created_at: entry.createdAt ?? entry.now,
    updated_at: entry.now,
  });
}

/**
 * A refused (`failed`) entry as a new pending operation: a new id, the same
 * place in the queue, optionally a new payload and base; prepare the old
 * row's destruction in the same batch. A refused operation id is never sent
 * again, because the server may answer it with the stored refusal.
 */
export function prepareRenewedEntry(
  database: Database,
  old: Model,
  id: string,
  changes: { payload?: WireRecord; base?: WireRecord | null; now?: number } = {},
): Model {
  const raw = queueRowOf(old);
  const stored = decodeBase(raw.base);
  return prepareQueueEntry(database, {
    id,
    entity: raw.entity,
    operation: raw.operation,
    entityId: raw.entity_id,
    payload: changes.payload ?? (JSON.parse(raw.payload) as WireRecord),
    base: changes.base ?? stored.base,
    // What a pull saw of the server's record stays with the renewed entry.
    serverSeen: stored.serverSeen,
    // The time of the latest edit (the LWW timestamp) stays unless an edit comes with the renewal.
    now: changes.now ?? raw.updated_at,
    createdAt: raw.created_at,
  });
}

/** One queued local write, as stored in `operation_queue`. */
export interface QueueEntry {
  /** Operation id: the server deduplicates replays by it. */
  id: string;
  entity: string;
  operation: QueueOperation;
  /** Local id of the record. */
  entityId: string;
  /** Changed fields in wire form (foreign keys hold local ids until push time). */
  payload: WireRecord;
  /** Updates: the base values of the changed fields (what the record held before the first unsent change). */
  base: WireRecord | null;
  /**
   * The server's record as a pull delivered it while this entry was pending
   * (the change may already be committed there, its response lost). When the
   * acknowledgement names this version, the device takes these values: under
   * serverMerge they can differ from what the device sent.
   */
  serverSeen: { version: number; record: WireRecord | null; deleted?: boolean } | null;
  status: QueueStatus;
  attempts: number;
  nextAttemptAt: number | null;
  lastError: string | null;
  createdAt: number;
  /** Time of the latest local edit folded into this entry (the LWW timestamp sent to the server). */
  updatedAt: number;
}

/**
 * Whether the server may already hold this entry (docs/PROTOCOL.md "Crash
 * safety"): it was handed to the transport at least once and no answer
 * settled it. Such an operation is never changed again, because a resend of
 * its id is answered with the stored result and a folded change would be
 * lost: later edits queue a new operation, and a delete after such an insert
 * is queued rather than dropping the record.
 */
export function maybeCommitted(raw: { status: string; attempts: number }): boolean {
  return raw.status === 'sending' || (raw.status === 'pending' && raw.attempts > 0);
}

/** Column values of a queue row as a typed entry. */
export function readEntry(record: Model): QueueEntry {
  const raw = queueRowOf(record);
  return {
    id: record.id,
    entity: raw.entity,
    operation: raw.operation,
    entityId: raw.entity_id,
    payload: JSON.parse(raw.payload) as WireRecord,
    ...decodeBase(raw.base),
    status: raw.status,
    attempts: raw.attempts,
    nextAttemptAt: raw.next_attempt_at ?? null,
    lastError: raw.last_error ?? null,
    createdAt: raw.created_at,
    updatedAt: raw.updated_at,
  };
}

/** Key under which `serverSeen` travels inside the `base` column (the system tables' columns are fixed: README "Output layout"). */
export const SERVER_SEEN_KEY = '@server';

/**
 * The `base` column: the base values of the changed fields, plus what a pull
 * saw of the server's record under `SERVER_SEEN_KEY`. Decoded and encoded
 * only here.
 */
export function decodeBase(text: string | null): { base: WireRecord | null; serverSeen: QueueEntry['serverSeen'] } {
  if (!text) return { base: null, serverSeen: null };
  const { [SERVER_SEEN_KEY]: seen, ...values } = JSON.parse(text) as WireRecord;
  const serverSeen = (seen as QueueEntry['serverSeen'] | undefined) ?? null;
  return { base: Object.keys(values).length > 0 || !serverSeen ? values : null, serverSeen };
}

/** The `base` column for these base values and server sighting (null when both are empty). */
export function encodeBase(base: WireRecord | null, serverSeen: QueueEntry['serverSeen']): string | null {
  if (!base && !serverSeen) return null;
  return JSON.stringify(serverSeen ? { ...base, [SERVER_SEEN_KEY]: serverSeen } : { ...base });
}

/** Queue rows, oldest first (optionally of one entity and/or record). */
export async function fetchQueue(database: Database, filter: { entity?: string; entityIds?: string[] } = {}): Promise<Model[]> {
  const clauses = [];
  if (filter.entity) clauses.push(Q.where('entity', filter.entity));
  if (filter.entityIds) clauses.push(Q.where('entity_id', Q.oneOf(filter.entityIds)));
  const rows = await database
    .get<Model>(QUEUE_TABLE)
    .query(...clauses)
    .fetch();
  return rows.sort(byAge);
}

/** Oldest first; ids (UUID v7, time-ordered) break ties. */
export function byAge(a: Model, b: Model): number {
  const ra = queueRowOf(a);
  const rb = queueRowOf(b);
  return ra.created_at - rb.created_at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Every queued entry, oldest first: what the inspection API lists and exports. */
export async function listQueue(database: Database): Promise<QueueEntry[]> {
  return (await fetchQueue(database)).map((r) => readEntry(r));
}

/** Number of entries not yet acknowledged (everything in the queue). */
export async function pendingCount(database: Database): Promise<number> {
  return database.get<Model>(QUEUE_TABLE).query().fetchCount();
}

/** Whether a record of an entity referring to `id` (indexed key columns) has queued changes. */
export async function hasQueuedChildren(database: Database, meta: EntityMeta, id: string): Promise<boolean> {
  for (const link of childLinks(meta)) {
    const ids = await database.get<Model>(link.table).query(Q.where(link.column, id)).fetchIds();
    if (ids.length > 0 && (await fetchQueue(database, { entity: link.entity, entityIds: ids })).length > 0) return true;
  }
  return false;
}
