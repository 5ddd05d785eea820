import { Q, type Database, type Model } from '@nozbe/watermelondb';
import { adoptLocalWrites, prepareEngineUpdate } from './adoptLocalWrites';
import { localIdsOf } from './ids';
import { wireToRaw, type RawColumns, type WireRecord } from './mapping';
import { entityMeta, type EntityMeta, type SyncRegistry } from './meta';
import { markDeleted } from './applyPushResult';
import { bulkBatch, canBulkInsert } from './bulkInsert';
import { decodeBase, encodeBase, fetchQueue } from './queue';
import { prepareSyncState, type SyncStateValue } from './syncState';
import type { PullPage } from './transport';
import { queueRowOf, rawOf } from './rawRecord';
import { baseNames } from './baseColumns';

export interface ApplyOutcome {
  created: number;
  updated: number;
  deleted: number;
  /** Records with pending local changes whose server values were merged under them (or left alone, `manual`). */
  rebased: number;
  /** Tombstones left unapplied because the record has pending changes. */
  skipped: number;
  /** Records marked deleted because a full pull ended without them (see `endsFullPull`). */
  removed: number;
}

export interface ApplyPullPageOptions {
  database: Database;
  registry: SyncRegistry;
  meta: EntityMeta;
  page: PullPage;
  /** The entity's `sync_state` row (null before the first pull) and the position this page moves it to. */
  state: { row: Model | null; patch: (skippedPending: boolean) => Partial<SyncStateValue> };
  now: number;
  /** Collects the server ids of a full pull (records not among them are gone). */
  seen?: Set<string>;
  /**
   * The table was empty as the pull began: no record can have been pushed
   * and lost its response (no `clientId` lookups), and new records may be
   * bulk-inserted. Memory stays bounded by the page (no set of ids kept).
   */
  fresh?: boolean;
  /**
   * The last page of a full pull (needs `seen`): local records the server no
   * longer has are marked deleted in this page's transaction, together with
   * the cursor that ends the full pull, so a crash cannot separate the two.
   */
  endsFullPull?: boolean;
}

/**
 * Apply one pulled page in one WatermelonDB transaction, together with the
 * new pull position (README "Client sync"), so a crash mid-page re-pulls the page.
 *
 * A record with pending local changes is never overwritten: under
 * `lastWriteWins` and `serverMerge` the server's values land in the fields the
 * device did not change and its `version` stays the one the pending change was
 * based on, so the push still carries the right base and the server decides;
 * under `manual` the record is left as it is and the push surfaces the
 * conflict. A tombstone for such a record is also left for the push to settle.
 */
export async function applyPullPage(options: ApplyPullPageOptions): Promise<ApplyOutcome> {
  const { database, registry, meta, page, state, now, seen, fresh = false, endsFullPull = false } = options;
  const outcome: ApplyOutcome = { created: 0, updated: 0, deleted: 0, rebased: 0, skipped: 0, removed: 0 };
  const collection = database.get<Model>(meta.table);
  await database.write(async () => {
    // App writes made the WatermelonDB way become pending first, so the page rebases under them.
    await adoptLocalWrites(database, [meta], { now });
    const serverIds = page.items.map((i) => String(i.id));
    if (seen) for (const id of serverIds) seen.add(id);
    const byServerId = new Map<string, Model>();
    // Also on a table that started empty: a record changed on the server during the pull comes
    // again in a later page (an indexed lookup; only the rows found become Models).
    if (serverIds.length > 0) {
      for (const row of await collection.query(Q.where('server_id', Q.oneOf(serverIds))).fetch()) {
        byServerId.set(rawOf(row).server_id!, row);
      }
    }
    // A create whose response was lost: the server has it under our local id as its clientId,
    // and our record still has no server id (impossible on a table that started empty).
    const keys = baseNames(meta).keys;
    const clientIds = fresh ? [] : page.items.filter((i) => i[keys.clientId] && !byServerId.has(String(i.id))).map((i) => String(i[keys.clientId]));
    const byLocalId = new Map<string, Model>();
    if (clientIds.length > 0) {
      for (const row of await collection.query(Q.where('server_id', null), Q.where('id', Q.oneOf(clientIds))).fetch()) byLocalId.set(row.id, row);
    }
    const pending = new Map<string, Model[]>();
    for (const entry of await fetchQueue(database, { entity: meta.name })) {
      const id = queueRowOf(entry).entity_id;
      pending.set(id, [...(pending.get(id) ?? []), entry]);
    }
    const translate = await foreignKeyTranslator(database, registry, meta, page.items);
    const tombstoned = page.deletedIds.length > 0 ? await collection.query(Q.where('server_id', Q.oneOf(page.deletedIds))).fetch() : [];
    const unseen = endsFullPull && seen ? await unseenRows(database, meta, seen, new Set(pending.keys())) : [];
    // From here on only synchronous prepare* calls until batch(): WatermelonDB requires
    // prepared records to reach batch() without an await in between (Model.prepareUpdate).

    const ops: Model[] = [];
    // Records new to a table that started empty, with nobody observing it: inserted as rows, no Models,
    // converted once from the wire (bulkInsert.ts).
    const bulk: WireRecord[] | null = fresh && canBulkInsert(database, meta.table) ? [] : null;
    for (const item of page.items) {
      const serverId = String(item.id);
      const existing = byServerId.get(serverId) ?? (item[keys.clientId] ? byLocalId.get(String(item[keys.clientId])) : undefined);
      if (!existing && bulk) {
        bulk.push(item);
        outcome.created += 1;
        continue;
      }
      const raw = translate.raw(wireToRaw(meta, item));
      raw.server_id = serverId;
      if (!existing) {
        raw.id = serverId;
        raw._status = 'synced';
        raw._changed = '';
        ops.push(collection.prepareCreateFromDirtyRaw(raw));
        outcome.created += 1;
        continue;
      }
      const entries = pending.get(existing.id);
      if (!entries) {
        ops.push(prepareEngineUpdate(existing, (r) => setColumns(r, raw)));
        outcome.updated += 1;
        continue;
      }
      outcome.rebased += 1;
      const touched = new Set<string>();
      for (const e of entries) for (const key of Object.keys(JSON.parse(queueRowOf(e).payload) as WireRecord)) touched.add(key);
      const keep: RawColumns = { server_id: serverId };
      if (meta.strategy !== 'manual') {
        for (const field of meta.fields) {
          // Columns only the server sets (protocol/baseFields.ts) are never copied over local pending state.
          if (!touched.has(field.name) && !baseNames(meta).serverSet.has(field.column) && field.column in raw)
            keep[field.column] = raw[field.column]!;
        }
      }
      ops.push(prepareEngineUpdate(existing, (r) => setColumns(r, keep)));
      // Remember what the server holds: if the oldest pending change is already committed there
      // (its response lost), its acknowledgement will name this version (see push.ts).
      const oldest = entries[0]!;
      const stored = decodeBase(queueRowOf(oldest).base);
      const itemVersion = Number(item[keys.version]);
      if (!stored.serverSeen || stored.serverSeen.version <= itemVersion) {
        const text = encodeBase(stored.base, { version: itemVersion, record: item });
        ops.push(oldest.prepareUpdate((e) => e._setRaw('base', text)));
      }
    }
    for (const row of tombstoned) {
      const entries = pending.get(row.id);
      if (entries) {
        // Left for the push to settle; but if the oldest change is already committed (response
        // lost), its replayed acknowledgement must still end in the deletion (see push.ts).
        const oldest = entries[0]!;
        const text = encodeBase(decodeBase(queueRowOf(oldest).base).base, { version: Number.MAX_SAFE_INTEGER, record: null, deleted: true });
        ops.push(oldest.prepareUpdate((e) => e._setRaw('base', text)));
        outcome.skipped += 1;
        continue;
      }
      if (rawOf(row)[baseNames(meta).columns.deletedAt] !== null) continue;
      ops.push(markDeleted(row, null, meta));
      outcome.deleted += 1;
    }
    for (const row of unseen) ops.push(markDeleted(row, null, meta));
    outcome.removed = unseen.length;
    ops.push(prepareSyncState(database, state.row, meta.name, state.patch(outcome.rebased + outcome.skipped > 0), now));
    if (bulk && bulk.length > 0) await bulkBatch(database, ops, { meta, items: bulk, foreignKeys: translate.columns });
    else await database.batch(...ops);
  }, `trackhub-sync pull ${meta.name}`);
  return outcome;
}

/** At the end of a full pull: the live local records the server did not send (never those with pending changes). */
async function unseenRows(database: Database, meta: EntityMeta, seen: Set<string>, pendingIds: Set<string>): Promise<Model[]> {
  const rows = await database
    .get<Model>(meta.table)
    .query(Q.where('server_id', Q.notEq(null)), Q.where(baseNames(meta).columns.deletedAt, null))
    .fetch();
  return rows.filter((r) => !seen.has(rawOf(r).server_id!) && !pendingIds.has(r.id));
}

/** Writes server values with `_setRaw`: `prepareUpdate` would otherwise stamp `updated_at` with the local clock. */
function setColumns(record: Model, columns: RawColumns): void {
  for (const [column, value] of Object.entries(columns)) record._setRaw(column, value);
}

/** Foreign keys of pulled records, from server ids to local ids: per column, and applied to a raw record. */
interface ForeignKeyTranslation {
  columns: ReadonlyMap<string, ReadonlyMap<string, string>>;
  raw: (raw: RawColumns) => RawColumns;
}

/** Rewrites foreign keys of pulled records from server ids to local ids. */
async function foreignKeyTranslator(
  database: Database,
  registry: SyncRegistry,
  meta: EntityMeta,
  items: WireRecord[],
): Promise<ForeignKeyTranslation> {
  if (meta.belongsTo.length === 0) return { columns: new Map(), raw: (raw) => raw };
  const maps = await Promise.all(
    meta.belongsTo.map(async (rel) => {
      const column = meta.fields.find((f) => f.name === rel.field)!.column;
      const ids = items.map((i) => i[rel.field]).filter((v): v is string => typeof v === 'string');
      return { column, map: await localIdsOf(database, entityMeta(registry, rel.target), ids) };
    }),
  );
  return {
    columns: new Map(maps.map(({ column, map }) => [column, map])),
    raw: (raw) => {
      for (const { column, map } of maps) {
        const value = raw[column];
        if (typeof value === 'string') raw[column] = map.get(value) ?? value;
      }
      return raw;
    },
  };
}
