import { Q, type Database, type Model } from '@nozbe/watermelondb';
import { systemRowOf } from './rawRecord';

/** Table of pull positions (generated as the `SyncStateEntry` model). */
export const STATE_TABLE = 'sync_state';

export interface SyncStateValue {
  cursor: string | null;
  lastSyncAt: number | null;
  /** Layout hash of the entity's table when it was last fully pulled (a change forces a re-pull). */
  versionHash: string | null;
  /**
   * Where to pull again from once the entity has no pending changes: set when
   * a page had to leave a record with pending changes (partly) unapplied, so
   * the server's later state of that record is fetched again when it is free.
   * `{ at: null }` is the start.
   */
  rewind: { at: string | null } | null;
}

/** The cursor column holds the server's cursor, or `{"c":cursor,"r":rewind}` while a rewind is due. */
function decodeCursor(text: string | null): { cursor: string | null; rewind: SyncStateValue['rewind'] } {
  if (text?.startsWith('{"c"')) {
    const parsed = JSON.parse(text) as { c: string | null; r: SyncStateValue['rewind'] };
    return { cursor: parsed.c, rewind: parsed.r };
  }
  return { cursor: text, rewind: null };
}

function encodeCursor(cursor: string | null, rewind: SyncStateValue['rewind']): string | null {
  return rewind ? JSON.stringify({ c: cursor, r: rewind }) : cursor;
}

/**
 * The stored pull position of an entity, with its row when there is one. One
 * raw read of the values on disk (SQLite and LokiJS alike); the row's Model
 * comes from WatermelonDB's record cache when held there (no second query).
 */
export async function readSyncState(database: Database, entity: string): Promise<SyncStateValue & { row: Model | null }> {
  type Row = { id: string; cursor: string | null; last_sync_at: number | null; version_hash: string | null };
  const collection = database.get<Model>(STATE_TABLE);
  const [stored] = (await collection.query(Q.where('entity', entity)).unsafeFetchRaw()) as Row[];
  if (!stored) return { row: null, cursor: null, lastSyncAt: null, versionHash: null, rewind: null };
  const row = await collection.find(stored.id);
  // The values on disk win: a batch that failed (a page whose apply threw) leaves its prepared
  // changes in the cached Model's `_raw` (WatermelonDB 0.28 does not roll them back), and a
  // position that never committed must not be pulled on from (nor written back by the next update).
  Object.assign(systemRowOf<Row>(row), { cursor: stored.cursor, last_sync_at: stored.last_sync_at, version_hash: stored.version_hash });
  return { row, ...decodeCursor(stored.cursor), lastSyncAt: stored.last_sync_at, versionHash: stored.version_hash };
}

/**
 * A prepared create or update of an entity's pull position; pass it to
 * `database.batch`. `cursor` and `rewind` are written together.
 */
export function prepareSyncState(database: Database, row: Model | null, entity: string, patch: Partial<SyncStateValue>, now: number): Model {
  const columns: Record<string, string | number | null> = { updated_at: now };
  if (patch.cursor !== undefined) columns.cursor = encodeCursor(patch.cursor, patch.rewind ?? null);
  if (patch.lastSyncAt !== undefined) columns.last_sync_at = patch.lastSyncAt;
  if (patch.versionHash !== undefined) columns.version_hash = patch.versionHash;
  if (row) {
    return row.prepareUpdate((r) => {
      for (const [k, v] of Object.entries(columns)) r._setRaw(k, v);
    });
  }
  return database.get<Model>(STATE_TABLE).prepareCreateFromDirtyRaw({ entity, cursor: null, last_sync_at: null, version_hash: null, ...columns });
}
