import { Q, type Database, type Model } from '@nozbe/watermelondb';
import { park, planResult, retryLater, type Prepared } from './applyPushResult';
import { serverIdsOf } from './ids';
import type { WireRecord } from './mapping';
import { entityMeta, type EntityMeta, type SyncRegistry } from './meta';
import type { Platform } from './platform';
import { fetchQueue, inFlightOps, readEntry, type QueueEntry } from './queue';
import { TransportError, type PushItem, type PushResult, type SyncTransport } from './transport';
import { queueRowOf, rawOf } from './rawRecord';

/** README "Client sync": batches of at most 100 items per entity. */
export const MAX_PUSH_BATCH = 100;

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
 * result of the previous one), batches of at most 100, results applied per
 * item. Rounds repeat until nothing more can be sent.
 */
export async function pushQueue(options: PushOptions): Promise<PushReport> {
  const { database, registry, platform } = options;
  const report: PushReport = { acknowledged: 0, conflicts: 0, failed: 0, retrying: 0 };
  const triedThisRun = new Set<string>();
  const blockedEntities = new Set<string>();
  const batchSize = Math.min(options.batchSize ?? MAX_PUSH_BATCH, MAX_PUSH_BATCH);
  for (;;) {
    let sentThisRound = 0;
    const rows = await fetchQueue(database);
    const now = platform.clock.now();
    const oldestPerRecord = new Map<string, Model>();
    for (const row of rows) {
      const key = `${queueRowOf(row).entity}:${queueRowOf(row).entity_id}`;
      if (!oldestPerRecord.has(key)) oldestPerRecord.set(key, row);
    }
    const ready = [...oldestPerRecord.values()]
      .map((row) => ({ row, entry: readEntry(row) }))
      .filter(({ entry }) => entry.status === 'pending' && !triedThisRun.has(entry.id))
      .filter(({ entry }) => options.ignoreBackoff || entry.nextAttemptAt === null || entry.nextAttemptAt <= now);
    for (const meta of registry.entities) {
      if (meta.direction === 'pullOnly' || blockedEntities.has(meta.name)) continue;
      const mine = ready.filter(({ entry }) => entry.entity === meta.name);
      const chunks: (typeof mine)[] = [];
      for (let i = 0; i < mine.length; i += batchSize) chunks.push(mine.slice(i, i + batchSize));
      let sent = 0;
      let failed = false;
      // Up to `concurrency` batches of one entity in flight: the server works on one while the
      // device applies the results of another. Entities still go one after the other (parents first).
      await runLimited(chunks, Math.max(1, options.concurrency ?? 2), async (chunk) => {
        if (failed) return;
        const prepared = await prepareItems(database, registry, meta, chunk);
        if (prepared.length === 0) return;
        const ok = await sendBatch(options, meta, prepared, report);
        for (const p of prepared) triedThisRun.add(p.entry.id);
        sent += prepared.length;
        sentThisRound += prepared.length;
        options.onProgress?.({ entity: meta.name, sent, remaining: mine.length - sent });
        // Later batches would fail the same way, and children need this entity's server ids.
        if (!ok) failed = true;
      });
      if (failed) blockedEntities.add(meta.name);
    }
    if (sentThisRound === 0) break;
  }
  const left = await fetchQueue(database);
  report.retrying = left.filter((r) => queueRowOf(r).status === 'pending').length;
  return report;
}

/** Build wire items; entries whose record or parent has no server id yet wait for a later round. */
async function prepareItems(database: Database, registry: SyncRegistry, meta: EntityMeta, batch: { row: Model; entry: QueueEntry }[]): Promise<Prepared[]> {
  // Marked in flight inside a writer: local writes are writers too, so none can fold into
  // these entries between reading their payload here and applying the server's result.
  return database.write(async () => {
    const inFlight = inFlightOps(database);
    for (const { entry } of batch) inFlight.add(entry.id);
    const fresh = batch.map(({ row }) => ({ row, entry: readEntry(row) }));
    const prepared = await buildItems(database, registry, meta, fresh);
    const chosen = new Set(prepared.map((p) => p.entry.id));
    for (const { entry } of batch) if (!chosen.has(entry.id)) inFlight.delete(entry.id);
    return prepared;
  }, `trackhub-sync prepare push ${meta.name}`);
}

async function buildItems(database: Database, registry: SyncRegistry, meta: EntityMeta, batch: { row: Model; entry: QueueEntry }[]): Promise<Prepared[]> {
  const records = new Map<string, Model>();
  const ids = batch.map(({ entry }) => entry.entityId);
  for (const record of await database.get<Model>(meta.table).query(Q.where('id', Q.oneOf(ids))).fetch()) records.set(record.id, record);
  const parents = await Promise.all(
    meta.belongsTo.map(async (rel) => {
      const localIds = batch.flatMap(({ entry }) => [entry.payload[rel.field], entry.base?.[rel.field]]).filter((v): v is string => typeof v === 'string');
      return { rel, map: await serverIdsOf(database, entityMeta(registry, rel.target), localIds) };
    }),
  );
  const out: Prepared[] = [];
  for (const { row, entry } of batch) {
    const record = records.get(entry.entityId);
    if (!record) continue;
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
    const item: PushItem = { opId: entry.id, op: entry.operation, clientId: entry.entityId, id: serverId, baseVersion: raw.version as number, updatedAt };
    if (entry.operation === 'update') {
      item.data = data;
      item.base = base ?? {};
    }
    out.push({ row, entry, record, item });
  }
  return out;
}

/** Send one batch and apply its results; false when the whole request failed. */
async function sendBatch(options: PushOptions, meta: EntityMeta, prepared: Prepared[], report: PushReport): Promise<boolean> {
  const { database, platform } = options;
  const inFlight = inFlightOps(database);
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
    // The server takes smaller batches than the 100 of README "Client sync": split and send the halves (still in flight).
    const half = Math.ceil(prepared.length / 2);
    const first = await sendBatch(options, meta, prepared.slice(0, half), report);
    const second = await sendBatch(options, meta, prepared.slice(half), report);
    return first && second;
  }
  const now = platform.clock.now();
  const release = () => {
    for (const p of prepared) inFlight.delete(p.entry.id);
  };
  // Released inside the same writer that applies the results, so a local edit
  // can never fold into an entry that is about to be removed as acknowledged.
  await database.write(async () => {
    try {
    const steps: (() => Model[])[] = [];
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
    await database.batch(steps.flatMap((step) => step()));
    } finally {
      release();
    }
  }, `trackhub-sync push ${meta.name}`).catch((error: unknown) => {
    release();
    throw error;
  });
  return failure === null;
}

/** Run `work` over `items` with at most `limit` running at once. */
async function runLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
