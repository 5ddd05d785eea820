import { Q, type Database, type Model } from '@nozbe/watermelondb';
import { park, planResult, retryLater, type Prepared } from './applyPushResult';
import { serverIdsOf } from './ids';
import type { WireRecord } from './mapping';
import { entityMeta, type EntityMeta, type SyncRegistry } from './meta';
import type { Platform } from './platform';
import { uuidv7 } from 'uuidv7';
import { QUEUE_TABLE, fetchQueue, prepareQueueEntry, readEntry, type QueueEntry } from './queue';
import { TransportError, type PushItem, type PushResult, type SyncTransport } from './transport';
import { queueRowOf, rawOf } from './rawRecord';
import { fileFields, placeholderUploadId } from './uploads/uploadTable';
import { baseNames } from './baseColumns';
import { CONFLICT_TABLE } from './conflicts';
import { reuseRecordWrites } from './nodeStatements';

/**
 * README "Client sync": batches of at most 500 items per entity, the server's
 * default `maxBatch`. A server configured lower refuses a larger batch with
 * `BATCH_TOO_LARGE` and its limit (docs/PROTOCOL.md "Push"); the client then
 * splits and sends at most that many per request for the rest of the run.
 */
export const MAX_PUSH_BATCH = 500;

/**
 * Items per batch by default: a batch's results and the next batch's `sending`
 * mark (three record writes per item: the entry removed, the record updated,
 * the next entry marked) stay one device transaction of fewer than 1,000
 * writes. From 1,000 on, WatermelonDB's SQLite adapter drops every index of
 * the schema before the batch and builds them again after it
 * (adapters/sqlite/encodeBatch, `withRecreatedIndices`: meant for bulk
 * inserts), which costs more than the batch's own writes once the tables
 * hold thousands of rows (docs/PERFORMANCE.md "Client push").
 */
export const DEFAULT_PUSH_BATCH = 333;

export interface PushOptions {
  database: Database;
  registry: SyncRegistry;
  transport: SyncTransport;
  platform: Platform;
  batchSize?: number;
  /** Send entries even when their retry time has not come (a manual "sync now"). */
  ignoreBackoff?: boolean;
  backoff?: { initialMs: number; maxMs: number };
  /** Batches of one entity in flight at once. Default 2. */
  concurrency?: number;
  onProgress?: (progress: { entity: string; sent: number; remaining: number }) => void;
  /** Entries about to be sent (their record's state is `sending`). */
  onSending?: (entity: string, opIds: string[]) => void;
  /** One request done and its results applied (`results` null when the whole request failed). */
  onBatch?: (batch: PushBatchOutcome) => void;
}

/** What `onBatch` reports of one push request. */
export interface PushBatchOutcome {
  entity: string;
  items: PushItem[];
  results: PushResult[] | null;
  error: TransportError | null;
  durationMs: number;
}

export interface PushReport {
  acknowledged: number;
  conflicts: number;
  /** Parked after a non-retryable error. */
  failed: number;
  /** Left for a later attempt (transport failure, retryable error, parent not yet acknowledged). */
  retrying: number;
}

/**
 * Push the queue: entities in registry order (parents before children), the
 * oldest entry of each record per round (a record's next entry needs the
 * result of the previous one), batches of `DEFAULT_PUSH_BATCH` (at most `MAX_PUSH_BATCH`), results
 * applied per item. Rounds repeat until nothing more can be sent. Entries left
 * `sending` by a run that never finished (the app was killed) are sent again
 * under their operation id: the server answers a known id with its stored result.
 *
 * One device transaction per batch: the transaction that applies a batch's
 * results also marks the next batch `sending` (docs/PROTOCOL.md "Crash
 * safety": still durable before the request that carries it).
 */
export async function pushQueue(options: PushOptions): Promise<PushReport> {
  const { database, registry, platform } = options;
  const report: PushReport = { acknowledged: 0, conflicts: 0, failed: 0, retrying: 0 };
  const triedThisRun = new Set<string>();
  const blockedEntities = new Set<string>();
  const limit: BatchLimit = { items: Math.max(1, Math.min(options.batchSize ?? DEFAULT_PUSH_BATCH, MAX_PUSH_BATCH)) };
  // On Node, the queue's and the records' writes reuse their prepared statements (a device's driver does).
  reuseRecordWrites(database, [QUEUE_TABLE, CONFLICT_TABLE, ...registry.entities.map((m) => m.table)]);
  for (;;) {
    let sentThisRound = 0;
    const rows = await fetchQueue(database);
    const now = platform.clock.now();
    const oldestPerRecord = new Map<string, Model>();
    for (const row of rows) {
      const raw = queueRowOf(row);
      const key = `${raw.entity}:${raw.entity_id}`;
      if (!oldestPerRecord.has(key)) oldestPerRecord.set(key, row);
    }
    // The columns that decide readiness only: payloads are decoded when a batch is built.
    const ready = [...oldestPerRecord.values()].filter((row) => {
      const raw = queueRowOf(row);
      if (!sendable(raw) || triedThisRun.has(row.id)) return false;
      return options.ignoreBackoff || raw.next_attempt_at == null || raw.next_attempt_at <= now;
    });
    for (const meta of registry.entities) {
      if (meta.direction === 'pullOnly' || blockedEntities.has(meta.name)) continue;
      const mine = ready.filter((row) => queueRowOf(row).entity === meta.name);
      let taken = 0;
      // The next chunk of this entity's ready entries, at most `limit.items` (it shrinks when the server refuses a size).
      const take = () => {
        const chunk = mine.slice(taken, taken + limit.items);
        taken += chunk.length;
        return chunk;
      };
      let sent = 0;
      let failed = false;
      const progress = (count: number) => {
        sent += count;
        sentThisRound += count;
        options.onProgress?.({ entity: meta.name, sent, remaining: mine.length - sent });
      };
      // Up to `concurrency` batches of one entity in flight: the server works on one while the
      // device applies the results of another. Entities still go one after the other (parents first).
      const worker = async () => {
        let prepared: Prepared[] = [];
        while (prepared.length === 0) {
          if (failed || taken >= mine.length) return;
          const chunk = take();
          prepared = await database.write(async () => {
            const next = await readItems(database, registry, meta, chunk);
            if (next.length > 0) await database.batch(markSending(next));
            return next;
          }, `trackhub-sync prepare push ${meta.name}`);
        }
        while (prepared.length > 0) {
          options.onSending?.(
            meta.name,
            prepared.map((p) => p.entry.id),
          );
          const exchanges = await exchange(options, meta, prepared, limit);
          for (const p of prepared) triedThisRun.add(p.entry.id);
          // Later batches would fail the same way, and children need this entity's server ids.
          if (exchanges.some((x) => x.failure !== null)) failed = true;
          const done = prepared;
          prepared = await database.write(async () => {
            const steps = await planExchanges(options, meta, exchanges, report);
            let next: Prepared[] = [];
            while (next.length === 0 && !failed && taken < mine.length) next = await readItems(database, registry, meta, take());
            // Entries stay `sending` until this transaction commits: killed before it, the next run resends
            // them; the next batch is durably `sending` before its request leaves.
            await database.batch([...steps.flatMap((step) => step()), ...markSending(next)]);
            return next;
          }, `trackhub-sync push ${meta.name}`);
          for (const x of exchanges) {
            options.onBatch?.({
              entity: meta.name,
              items: x.prepared.map((p) => p.item),
              results: x.results,
              error: x.failure,
              durationMs: x.durationMs,
            });
          }
          progress(done.length);
        }
      };
      await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 2) }, worker));
      if (failed) blockedEntities.add(meta.name);
    }
    if (sentThisRound === 0) break;
  }
  const left = await fetchQueue(database);
  report.retrying = left.filter((r) => sendable(queueRowOf(r))).length;
  return report;
}

/** Largest batch the server takes, as far as this run knows (README "Client sync"). */
interface BatchLimit {
  items: number;
}

/**
 * Pending entries, and `sending` ones: one sync runs at a time per database and
 * a run's results are applied before it ends, so a `sending` entry seen by a
 * new run belongs to a run that was cut off.
 */
function sendable(entry: { status: QueueEntry['status'] }): boolean {
  return entry.status === 'pending' || entry.status === 'sending';
}

/**
 * Build wire items; entries whose record or parent has no server id yet wait
 * for a later round. Call inside the writer that marks the chosen entries
 * `sending` (`markSending`, in the same transaction as whatever else it
 * commits, before the request leaves: docs/PROTOCOL.md "Crash safety"):
 * killed at any later instant, the device knows the server may hold them,
 * and local writes (also writers) never fold into them.
 */
async function readItems(database: Database, registry: SyncRegistry, meta: EntityMeta, batch: Model[]): Promise<Prepared[]> {
  // Read again inside the writer: a local write may have changed or removed an entry since the queue was listed.
  const rows = await rowsById(
    database,
    QUEUE_TABLE,
    batch.map((row) => row.id),
  );
  const fresh = rows
    .sort(byId(batch))
    .map((row) => ({ row, entry: readEntry(row) }))
    .filter(({ entry }) => sendable(entry));
  return buildItems(database, registry, meta, fresh);
}

/** The entries about to be sent become `sending`, their attempt counted; prepare inside `database.batch`. */
function markSending(prepared: Prepared[]): Model[] {
  return prepared.map(({ row, entry }) =>
    row.prepareUpdate((r) => {
      r._setRaw('status', 'sending');
      r._setRaw('attempts', entry.attempts + 1);
    }),
  );
}

/**
 * The rows of `table` with these ids, as `Q.where('id', Q.oneOf(ids))`
 * returns them: ids held in WatermelonDB's record cache come from it (a
 * cached Model holds its row as last committed, every write going through
 * it; `Collection.find` trusts the cache the same way), the others are
 * queried. A batch's queue rows and records were just read or written, so
 * this saves two long `in (…)` queries per batch.
 */
async function rowsById(database: Database, table: string, ids: string[]): Promise<Model[]> {
  const collection = database.get<Model>(table);
  const cache = (collection as unknown as { _cache?: { get?: (id: string) => Model | undefined } })._cache;
  if (typeof cache?.get !== 'function') return collection.query(Q.where('id', Q.oneOf(ids))).fetch();
  const found: Model[] = [];
  const missing: string[] = [];
  for (const id of ids) {
    const cached = cache.get(id);
    if (!cached) missing.push(id);
    // A query leaves out rows marked deleted (`markAsDeleted`, not yet adopted).
    else if (cached._raw._status !== 'deleted') found.push(cached);
  }
  if (missing.length > 0) found.push(...(await collection.query(Q.where('id', Q.oneOf(missing))).fetch()));
  return found;
}

/** Keeps the batch's order (oldest first) for rows fetched again by id. */
function byId(batch: Model[]): (a: Model, b: Model) => number {
  const order = new Map(batch.map((row, index) => [row.id, index]));
  return (a, b) => order.get(a.id)! - order.get(b.id)!;
}

async function buildItems(
  database: Database,
  registry: SyncRegistry,
  meta: EntityMeta,
  batch: { row: Model; entry: QueueEntry }[],
): Promise<Prepared[]> {
  const records = new Map<string, Model>();
  const ids = batch.map(({ entry }) => entry.entityId);
  for (const record of await rowsById(database, meta.table, ids)) records.set(record.id, record);
  const parents = await Promise.all(
    meta.belongsTo.map(async (rel) => {
      const localIds = batch
        .flatMap(({ entry }) => [entry.payload[rel.field], entry.base?.[rel.field]])
        .filter((v): v is string => typeof v === 'string');
      return { rel, map: await serverIdsOf(database, entityMeta(registry, rel.target), localIds) };
    }),
  );
  const out: Prepared[] = [];
  const splits: Model[] = [];
  const files = fileFields(meta);
  for (const { row, entry: stored } of batch) {
    const record = records.get(stored.entityId);
    if (!record) continue;
    // A file field still holding an upload's placeholder: the operation waits for the upload
    // (docs/PROTOCOL.md "Media"); the uploader puts the key in and the next round sends it.
    if (files.some((f) => placeholderUploadId(stored.payload[f.name]) !== null)) continue;
    const entry = stored.operation === 'insert' ? deferKeys(database, parents, row, stored, splits) : stored;
    const raw = rawOf(record);
    const translate = (values: WireRecord): WireRecord | null => {
      const copy = { ...values };
      for (const { rel, map } of parents) {
        const local = copy[rel.field];
        if (typeof local !== 'string') continue;
        // Unknown locally: already a server id (a parent never stored here).
        const server = map.has(local) ? map.get(local) : local;
        if (!server) return null;
        copy[rel.field] = server;
      }
      return copy;
    };
    const data = translate(entry.payload);
    const base = entry.base ? translate(entry.base) : null;
    if (!data || (entry.base && !base)) continue;
    const updatedAt = new Date(entry.updatedAt).toISOString();
    if (entry.operation === 'insert') {
      out.push({ row, entry, record, item: { opId: entry.id, op: 'create', clientId: entry.entityId, updatedAt, data } });
      continue;
    }
    const serverId = raw.server_id as string | null;
    if (!serverId) continue;
    const item: PushItem = {
      opId: entry.id,
      op: entry.operation,
      clientId: entry.entityId,
      id: serverId,
      baseVersion: raw[baseNames(meta).columns.version] as number,
      updatedAt,
    };
    if (entry.operation === 'update') {
      item.data = data;
      item.base = base ?? {};
    }
    out.push({ row, entry, record, item });
  }
  if (splits.length > 0) await database.batch(splits);
  return out;
}

/**
 * A create whose deferred key (a cycle, README "Relations") points at a parent
 * without a server id yet is sent with the key unset; the key moves to an
 * update queued right behind the create, sent once both records exist on the
 * server. Rewritten durably in the writer that prepares the push, so a retry
 * or a restart sends the same two operations.
 */
function deferKeys(
  database: Database,
  parents: { rel: EntityMeta['belongsTo'][number]; map: Map<string, string | null> }[],
  row: Model,
  entry: QueueEntry,
  out: Model[],
): QueueEntry {
  const moved: WireRecord = {};
  for (const { rel, map } of parents) {
    const local = entry.payload[rel.field];
    if (rel.deferred && typeof local === 'string' && map.has(local) && !map.get(local)) moved[rel.field] = local;
  }
  if (Object.keys(moved).length === 0) return entry;
  const payload = { ...entry.payload, ...Object.fromEntries(Object.keys(moved).map((k) => [k, null])) };
  out.push(row.prepareUpdate((r) => r._setRaw('payload', JSON.stringify(payload))));
  out.push(
    prepareQueueEntry(database, {
      id: uuidv7(),
      entity: entry.entity,
      operation: 'update',
      entityId: entry.entityId,
      payload: moved,
      base: Object.fromEntries(Object.keys(moved).map((k) => [k, null])),
      // Ordered right behind the create (same time, a later UUID v7 id), before later edits.
      now: entry.createdAt,
    }),
  );
  return { ...entry, payload };
}

/** One push request and what came of it (`results` null when the whole request failed). */
interface Exchange {
  prepared: Prepared[];
  results: PushResult[] | null;
  failure: TransportError | null;
  durationMs: number;
}

/**
 * Send one batch; a server that takes fewer items (`BATCH_TOO_LARGE`) gets
 * it again in parts of its limit (or halves, when it names none), and the
 * run keeps to that limit. Nothing is written here: the caller applies every
 * part's results in one transaction.
 */
async function exchange(options: PushOptions, meta: EntityMeta, prepared: Prepared[], limit: BatchLimit): Promise<Exchange[]> {
  const { platform } = options;
  const started = platform.clock.now();
  let results: PushResult[] | null = null;
  let failure: TransportError | null = null;
  try {
    results = await options.transport.push({ entity: meta.name, items: prepared.map((p) => p.item) });
    if (!Array.isArray(results) || results.length !== prepared.length) {
      throw new TransportError(`push returned ${results?.length ?? 'no'} results for ${prepared.length} items`, true);
    }
  } catch (error) {
    failure = error instanceof TransportError ? error : new TransportError(String((error as Error)?.message ?? error), true);
    results = null;
  }
  if (failure?.code === 'BATCH_TOO_LARGE' && prepared.length > 1) {
    const named = failure.maxBatch !== null && failure.maxBatch >= 1 && failure.maxBatch < prepared.length ? failure.maxBatch : null;
    const size = named ?? Math.ceil(prepared.length / 2);
    limit.items = Math.min(limit.items, size);
    const parts: Exchange[] = [];
    for (let i = 0; i < prepared.length; i += size) parts.push(...(await exchange(options, meta, prepared.slice(i, i + size), limit)));
    return parts;
  }
  return [{ prepared, results, failure, durationMs: platform.clock.now() - started }];
}

/** What the results of these requests mean for their entries (reads done here, writes prepared by the returned steps). */
async function planExchanges(options: PushOptions, meta: EntityMeta, exchanges: Exchange[], report: PushReport): Promise<(() => Model[])[]> {
  const now = options.platform.clock.now();
  const steps: (() => Model[])[] = [];
  for (const { prepared, results, failure } of exchanges) {
    for (const [index, p] of prepared.entries()) {
      const result = results?.[index];
      if (!result) {
        const retryable = failure!.retryable;
        if (!retryable) report.failed += 1;
        steps.push(() => [retryable ? retryLater(options, p, failure!.message, now) : park(p, failure!.message)]);
        continue;
      }
      steps.push(await planResult(options, meta, p, result, now, report));
    }
  }
  return steps;
}
