import { Q, type Database, type Model } from '@nozbe/watermelondb';
import { CONFLICT_TABLE } from './conflicts';
import type { EntityMeta } from './meta';
import type { Subscribable } from './observable';
import { QUEUE_TABLE, fetchQueue, readEntry } from './queue';
import { systemRowOf } from './rawRecord';

/**
 * Where a record stands with the server (README "Client sync"):
 * - `pending`: a local change waits to be pushed (queued, or written the
 *   WatermelonDB way and not adopted into the queue yet);
 * - `sending`: a change of it is in a push request right now;
 * - `synced`: nothing local is unacknowledged: the server has acknowledged
 *   every change (or the record came from a pull);
 * - `conflict`: the server refused a change as a conflict; it waits for
 *   `resolveConflict`;
 * - `failed`: a change was refused for good (`VALIDATION`, `FORBIDDEN`); an
 *   edit or `forcePushLocal` retries it.
 *
 * Derived from the `operation_queue` and `conflicts` tables, never stored.
 */
export type RecordSyncState = 'pending' | 'sending' | 'synced' | 'conflict' | 'failed';

/** The worst state first: a record with a conflicted and a pending change shows `conflict`. */
const RANK: Record<RecordSyncState, number> = { conflict: 4, failed: 3, sending: 2, pending: 1, synced: 0 };

/** The sync state of each record (by local id) of an entity; ids with no record read `synced`. */
export async function readRecordSyncStates(database: Database, meta: EntityMeta, ids: readonly string[]): Promise<Map<string, RecordSyncState>> {
  const states = new Map<string, RecordSyncState>(ids.map((id) => [id, 'synced']));
  if (ids.length === 0) return states;
  const raise = (id: string, state: RecordSyncState) => {
    if (RANK[state] > RANK[states.get(id) ?? 'synced']) states.set(id, state);
  };
  for (const row of await fetchQueue(database, { entity: meta.name, entityIds: [...ids] })) {
    const entry = readEntry(row);
    // `success` is never stored (acknowledged entries are deleted); listed for exhaustiveness.
    raise(entry.entityId, entry.status === 'success' ? 'synced' : entry.status);
  }
  const conflicts = await database
    .get<Model>(CONFLICT_TABLE)
    .query(Q.where('entity', meta.name), Q.where('entity_id', Q.oneOf([...ids])), Q.where('resolved', false))
    .fetch();
  for (const c of conflicts) raise(systemRowOf<{ entity_id: string }>(c).entity_id, 'conflict');
  // Written the WatermelonDB way and not queued yet (adoptLocalWrites.ts): pending all the same.
  const unadopted = await database
    .get<Model>(meta.table)
    .query(Q.where('id', Q.oneOf([...ids])), Q.where('_status', Q.notEq('synced')))
    .fetch();
  for (const r of unadopted) raise(r.id, 'pending');
  return states;
}

/**
 * Watch the states of records: recomputed when the queue, the conflicts or
 * the entity's table change, or when `signal` fires (push start: `sending`
 * lives in memory). Emits a new Map only when a state changed.
 */
export function watchRecordSyncStates(
  database: Database,
  meta: EntityMeta,
  ids: () => readonly string[],
  signal: Subscribable<unknown>,
): Subscribable<ReadonlyMap<string, RecordSyncState>> {
  return {
    subscribe(listener) {
      let last: Map<string, RecordSyncState> | null = null;
      let closed = false;
      let running: Promise<void> = Promise.resolve();
      const refresh = () => {
        // Serialised: a recomputation never overtakes a later one.
        running = running
          .then(async () => {
            if (closed) return;
            const next = await readRecordSyncStates(database, meta, ids());
            if (closed || (last && sameStates(last, next))) return;
            last = next;
            listener(next);
          })
          .catch(() => {});
      };
      const tables = database.withChangesForTables([QUEUE_TABLE, CONFLICT_TABLE, meta.table]).subscribe(() => refresh());
      const off = signal.subscribe(() => refresh());
      refresh();
      return () => {
        closed = true;
        tables.unsubscribe();
        off();
      };
    },
  };
}

/**
 * Watch a value read from the database: read again (serialised) whenever one
 * of `tables` changes; the listener gets the first value and every different one.
 */
export function watchQuery<T>(database: Database, tables: string[], read: () => Promise<T>, same: (a: T, b: T) => boolean): Subscribable<T> {
  return {
    subscribe(listener) {
      let last: { value: T } | null = null;
      let closed = false;
      let running: Promise<void> = Promise.resolve();
      const refresh = () => {
        running = running
          .then(async () => {
            if (closed) return;
            const value = await read();
            if (closed || (last && same(last.value, value))) return;
            last = { value };
            listener(value);
          })
          .catch(() => {});
      };
      const subscription = database.withChangesForTables(tables).subscribe(() => refresh());
      return () => {
        closed = true;
        subscription.unsubscribe();
      };
    },
  };
}

function sameStates(a: Map<string, RecordSyncState>, b: Map<string, RecordSyncState>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}
