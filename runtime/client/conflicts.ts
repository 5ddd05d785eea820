import { Q, type Database, type Model } from '@nozbe/watermelondb';
import { prepareEngineUpdate } from './adoptLocalWrites';
import { uuidv7 } from 'uuidv7';
import { localIdsOf } from './ids';
import { columnToWire, rawToWire, sameValue, wireToRaw, type RawColumns, type WireRecord } from './mapping';
import { entityMeta, pushable, type SyncRegistry } from './meta';
import { markDeleted } from './applyPushResult';
import { mergedRecord } from './mergeResolution';
import { fetchQueue, prepareQueueEntry, readEntry } from './queue';
import { queueRowOf, rawOf } from './rawRecord';
import { baseNames } from './baseColumns';

/** Table of conflicts (generated as the `SyncConflict` model). */
export const CONFLICT_TABLE = 'conflicts';

/**
 * Why the server refused a pushed change (its `conflict.conflictType`):
 * `VERSION_MISMATCH` (manual strategy), `SERVER_NEWER` (last write wins, the
 * server's write is later: settled automatically in the server's favour and
 * stored already resolved), `EQUAL_TIMESTAMP`, `FIELD_CONFLICT` (a `manual`
 * field both sides changed), `DELETED` (the record is gone on the server).
 */
export type ConflictType = 'VERSION_MISMATCH' | 'SERVER_NEWER' | 'EQUAL_TIMESTAMP' | 'FIELD_CONFLICT' | 'DELETED';

/** An unresolved (or resolved) conflict as stored in `conflicts`. */
export interface ConflictEntry {
  id: string;
  entity: string;
  /** Local id of the record. */
  entityId: string;
  /** The local record when the conflict was detected (wire shape). */
  localData: WireRecord;
  /** The server's record (null when it was deleted there). */
  serverData: WireRecord | null;
  /** The server's proposed resolution (e.g. the field-merged record under serverMerge), if any. */
  suggested: WireRecord | null;
  localVersion: number;
  serverVersion: number;
  conflictType: ConflictType;
  resolved: boolean;
  createdAt: number;
}

/**
 * How to settle a conflict (docs/PROTOCOL.md "Conflicts"):
 * - `keepLocal`: push the local record again, based on the server's version.
 * - `useServer`: drop the local change and take the server's record.
 * - `merge`: take the server's suggested resolution (or its newest record), re-apply the local
 *   edits it does not hold by their fields' rules (mergeResolution.ts), put `data` (field name ->
 *   value, wire form) on top, and push every field that differs from the server's record.
 */
export type Resolution = { kind: 'keepLocal' } | { kind: 'useServer' } | { kind: 'merge'; data: WireRecord };

/** A conflict row as a typed entry. */
export function readConflict(row: Model): ConflictEntry {
  const raw = rawOf(row);
  return {
    id: row.id,
    entity: raw.entity as string,
    entityId: raw.entity_id as string,
    localData: JSON.parse(raw.local_data as string) as WireRecord,
    ...parseServerData(raw.server_data as string),
    localVersion: raw.local_version as number,
    serverVersion: raw.server_version as number,
    conflictType: raw.conflict_type as ConflictType,
    resolved: Boolean(raw.resolved),
    createdAt: raw.created_at as number,
  };
}

function parseServerData(text: string): { serverData: WireRecord | null; suggested: WireRecord | null } {
  const parsed = JSON.parse(text) as { record?: WireRecord | null; suggested?: WireRecord | null } | null;
  return { serverData: parsed?.record ?? null, suggested: parsed?.suggested ?? null };
}

/** A prepared conflict row; pass it to `database.batch`. */
export function prepareConflict(database: Database, conflict: Omit<ConflictEntry, 'id' | 'resolved'>, resolved = false): Model {
  return database.get<Model>(CONFLICT_TABLE).prepareCreateFromDirtyRaw({
    id: uuidv7(),
    entity: conflict.entity,
    entity_id: conflict.entityId,
    local_data: JSON.stringify(conflict.localData),
    // The column holds the server's record and its suggestion together.
    server_data: JSON.stringify({ record: conflict.serverData, suggested: conflict.suggested }),
    local_version: conflict.localVersion,
    server_version: conflict.serverVersion,
    conflict_type: conflict.conflictType,
    resolved,
    created_at: conflict.createdAt,
  });
}

/** Open conflicts, oldest first. */
export async function listConflicts(database: Database, includeResolved = false): Promise<ConflictEntry[]> {
  const query = includeResolved ? [] : [Q.where('resolved', false)];
  const rows = await database
    .get<Model>(CONFLICT_TABLE)
    .query(...query)
    .fetch();
  return rows.map(readConflict).sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
}

/**
 * Settle a conflict. The record, its queue entries and the conflict row change
 * in one transaction, so the record and the queue always agree.
 */
export async function resolveConflict(
  database: Database,
  registry: SyncRegistry,
  conflictId: string,
  resolution: Resolution,
  now: number,
): Promise<void> {
  const row = await database.get<Model>(CONFLICT_TABLE).find(conflictId);
  const conflict = readConflict(row);
  if (conflict.resolved) return;
  const meta = entityMeta(registry, conflict.entity);
  // A pull may have brought a newer server state since the conflict was stored (kept on the
  // queue entry, see applyPullPage.ts): resolve against the newest one.
  const newer = (await fetchQueue(database, { entity: meta.name, entityIds: [conflict.entityId] }))
    .map((e) => readEntry(e).serverSeen)
    .filter((seen) => seen !== null && seen.version > conflict.serverVersion)
    .sort((a, b) => b!.version - a!.version)[0];
  if (newer) {
    conflict.serverData = newer.deleted ? null : newer.record;
    if (!newer.deleted) conflict.serverVersion = newer.version;
    conflict.suggested = null;
  }
  const server = conflict.serverData;
  const { keys, columns: col } = baseNames(meta);
  // Foreign keys in the server's data are server ids; the local record holds local ids.
  const serverRaw = server ? await toLocalRaw(database, registry, conflict.entity, server) : null;
  await database.write(async () => {
    const record = await database
      .get<Model>(meta.table)
      .find(conflict.entityId)
      .catch(() => null);
    const entries = await fetchQueue(database, { entity: meta.name, entityIds: [conflict.entityId] });
    // Everything is read before the first prepare* call: WatermelonDB requires prepared
    // records to reach batch() without an await in between (Model.prepareUpdate).
    const ops: Model[] = [];
    const markResolved = () => row.prepareUpdate((r) => r._setRaw('resolved', true));
    const kind = resolution.kind;
    if (entries.length === 0) {
      // Later operations already settled the record (e.g. it was deleted since): nothing to apply.
      await database.batch(markResolved());
      return;
    }
    switch (kind) {
      case 'useServer': {
        ops.push(...entries.map((e) => e.prepareDestroyPermanently()));
        if (record) {
          if (serverRaw && server?.[keys.deletedAt] == null) ops.push(prepareEngineUpdate(record, (r) => setAll(r, serverRaw)));
          else if (rawOf(record).server_id) ops.push(markDeleted(record, null, meta));
          else ops.push(record.prepareDestroyPermanently());
        }
        break;
      }
      case 'keepLocal':
      case 'merge': {
        if (!record) throw new Error(`conflict ${conflictId}: the local record is gone; use the server's record`);
        if (!server || server[keys.deletedAt] != null) {
          throw new Error(`conflict ${conflictId}: the record was deleted on the server; only 'useServer' applies`);
        }
        const localRaw = rawOf(record);
        const fields = pushable(meta, 'update');
        let payload: WireRecord;
        let mergedRaw: RawColumns | null = null;
        if (kind === 'keepLocal') {
          payload = Object.fromEntries(fields.map((f) => [f.name, columnToWire(f, localRaw[f.column])]));
        } else {
          // The suggestion, the local edits it does not hold (re-applied by their fields' rules), then `data`.
          const queued = entries.map((e) => readEntry(e));
          const refused = queued.find((e) => e.status === 'conflict') ?? queued[0]!;
          const target = mergedRecord({
            meta,
            server,
            suggested: conflict.suggested,
            localData: conflict.localData,
            refused,
            later: queued.filter((e) => e !== refused),
            data: resolution.data,
          });
          payload = Object.fromEntries(
            fields.filter((f) => !sameValue(target[f.name] ?? null, server[f.name] ?? null)).map((f) => [f.name, target[f.name] ?? null]),
          );
          mergedRaw = { ...serverRaw!, ...(await toLocalRaw(database, registry, conflict.entity, { ...payload })) };
          delete mergedRaw.server_id;
        }
        const base = Object.fromEntries(Object.keys(payload).map((k) => [k, server[k] ?? null]));
        ops.push(
          prepareEngineUpdate(record, (r) => {
            if (mergedRaw) setAll(r, mergedRaw);
            r._setRaw(col.version, conflict.serverVersion);
            r._setRaw(col.updatedAt, now);
          }),
        );
        // A new operation id: the server replays a known id with its original (conflict) result.
        // Keep-local of a refused delete deletes again; a merge keeps the (merged) record alive.
        const isDelete = kind === 'keepLocal' && entries.some((e) => queueRowOf(e).operation === 'delete');
        ops.push(...entries.map((e) => e.prepareDestroyPermanently()));
        ops.push(
          prepareQueueEntry(database, {
            id: uuidv7(),
            entity: meta.name,
            operation: isDelete ? 'delete' : 'update',
            entityId: conflict.entityId,
            payload: isDelete ? {} : payload,
            base: isDelete ? null : base,
            now,
          }),
        );
        break;
      }
      default: {
        const unreachable: never = kind;
        throw new Error(`unknown resolution ${String(unreachable)}`);
      }
    }
    await database.batch(markResolved(), ...ops);
  }, 'trackhub-sync resolve conflict');
}

/** The current local record in wire shape (for conflict rows and exports). */
export function localSnapshot(registry: SyncRegistry, entity: string, record: Model): WireRecord {
  return rawToWire(entityMeta(registry, entity), rawOf(record));
}

/** A server record as local columns, its foreign keys translated to local ids. */
export async function toLocalRaw(database: Database, registry: SyncRegistry, entity: string, server: WireRecord): Promise<RawColumns> {
  const meta = entityMeta(registry, entity);
  const raw = wireToRaw(meta, server);
  if (server.id != null) raw.server_id = String(server.id);
  for (const rel of meta.belongsTo) {
    const value = server[rel.field];
    if (typeof value !== 'string') continue;
    const column = meta.fields.find((f) => f.name === rel.field)!.column;
    raw[column] = (await localIdsOf(database, entityMeta(registry, rel.target), [value])).get(value) ?? value;
  }
  return raw;
}

/** Write columns with `_setRaw` (inside a prepareUpdate): no local timestamp touching. */
export function setAll(record: Model, columns: RawColumns): void {
  for (const [column, value] of Object.entries(columns)) record._setRaw(column, value);
}
