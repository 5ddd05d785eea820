import type { Database, Model, Query } from '@nozbe/watermelondb';
import { adoptLocalWrites, type AdoptReport } from './adoptLocalWrites';
import { CONFLICT_TABLE, listConflicts, resolveConflict, type ConflictEntry, type Resolution } from './conflicts';
import type { SyncEvent } from './events';
import { conflictDiff, type ConflictDiff } from './conflictDiff';
import { serverIdsOf } from './ids';
import { exportState, forceSyncFromServer, resetFailed, wipeSpace, type ExportedState } from './admin';
import type { SyncRegistry } from './meta';
import { EventStream, ValueStore, type Subscribable } from './observable';
import { resolvePlatform, type Platform } from './platform';
import { pullEntities, pullEntity, type LocalSchemaInfo, type PullReport } from './pull';
import { pushQueue, type PushBatchOutcome, type PushReport } from './push';
import { QUEUE_TABLE, listQueue, pendingCount, type QueueEntry } from './queue';
import { readRecordSyncStates, watchQuery, watchRecordSyncStates, type RecordSyncState } from './recordState';
import { NON_RETRYABLE_CODES, type SyncTransport } from './transport';
import { entityMeta } from './meta';
import { awaitedUploads, fileSource, pruneUploads, retryUploads, type FileDisplaySource } from './uploads/manageUploads';
import { UPLOAD_TABLE, listUploads, type UploadEntry } from './uploads/uploadTable';
import { runUploadPass, type UploadOptions, type UploadPassReport, type UploadProgress } from './uploads/uploader';
import { baseNames } from './baseColumns';

/** What started a sync (README "Client sync"). */
export type SyncTrigger = 'manual' | 'appOpen' | 'interval' | 'networkRegained' | 'uploadDone';

export interface SyncProgress {
  phase: 'push' | 'pull';
  entity: string;
  /** Items pushed or pulled so far in this phase for the entity. */
  done: number;
}

/** What a UI shows: subscribe with `engine.status.subscribe(...)`. */
export interface SyncStatus {
  state: 'idle' | 'syncing' | 'error' | 'offline';
  /** Queue entries not yet acknowledged. */
  pending: number;
  /** Open conflicts. */
  conflicts: number;
  lastSyncAt: number | null;
  lastError: string | null;
  progress: SyncProgress | null;
  /** Uploads in flight, with their bytes (docs/PROTOCOL.md "Media"). */
  uploads: UploadProgress[];
  /** Uploads not finished: pending, in flight, or failed. */
  pendingUploads: number;
}

export interface SyncReport {
  trigger: SyncTrigger;
  ok: boolean;
  error: string | null;
  push: PushReport | null;
  pull: Record<string, PullReport>;
  durationMs: number;
}

export interface SyncEngineOptions {
  database: Database;
  registry: SyncRegistry;
  transport: SyncTransport;
  /** Clock, timers, network and app state, random (jitter); defaults suit Node and tests. */
  platform?: Partial<Platform>;
  /** Interval trigger. Default 5 minutes (README "Client sync"); 0 disables it. */
  intervalMs?: number;
  /** Pull page size asked of the server (capped there). Default 5000. */
  pullLimit?: number;
  /** Push batch size, default 333, at most 500 (README "Client sync"). */
  pushBatchSize?: number;
  /** Push batches of one entity in flight at once. Default 2. */
  pushConcurrency?: number;
  /** Retry backoff. Default 1 s doubling to 5 min, with jitter. */
  backoff?: { initialMs: number; maxMs: number };
  /**
   * The generated local schema facts (`{ version: SCHEMA_VERSION, repullAfterMigration }`
   * from `generated/watermelon`): after a migration, exactly the entities the
   * map lists for the versions passed are re-pulled. Without it, an entity
   * is re-pulled whenever its local layout hash changes.
   */
  schema?: LocalSchemaInfo;
  /** The background uploader of file fields (docs/PROTOCOL.md "Media"); without it, attached files wait. */
  uploads?: UploadOptions;
}

const running = new WeakMap<Database, Promise<unknown>>();

/** `checkpoint()` could not complete now; `entries` are the writes that stand in the way. */
export class CheckpointError extends Error {
  override name = 'CheckpointError';
  constructor(
    message: string,
    readonly report: SyncReport,
    readonly entries: QueueEntry[],
  ) {
    super(message);
  }
}

/**
 * The sync engine of one tenant database: push then pull, one sync at a time
 * per database (also across engines sharing it), triggers, status, conflicts
 * and the destructive operations (each of which can export first).
 */
export class SyncEngine {
  readonly status: ValueStore<SyncStatus>;
  /** Sync start/finish, push batches, retries, conflicts, failures, re-pulls (see `SyncEvent`). */
  readonly events = new EventStream<SyncEvent>();
  private readonly platform: Platform;
  private queued: Promise<SyncReport> | null = null;
  private queuedForce = false;
  private stopHooks: (() => void)[] = [];

  constructor(private readonly options: SyncEngineOptions) {
    // Record and operation ids are UUID v7; without Web Crypto the uuidv7 package silently uses
    // Math.random (Hermes has none): refuse, and say how to fix it.
    if (typeof (globalThis as { crypto?: { getRandomValues?: unknown } }).crypto?.getRandomValues !== 'function') {
      throw new Error(
        "trackhub-sync: crypto.getRandomValues is missing, so ids would come from Math.random. On React Native import 'react-native-get-random-values' first, or call requireSecureRandom(getRandomValues) from 'trackhub-sync/react-native'",
      );
    }
    this.platform = resolvePlatform(options.platform);
    this.status = new ValueStore<SyncStatus>({
      state: 'idle',
      pending: 0,
      conflicts: 0,
      lastSyncAt: null,
      lastError: null,
      progress: null,
      uploads: [],
      pendingUploads: 0,
    });
  }

  get database(): Database {
    return this.options.database;
  }

  get registry(): SyncRegistry {
    return this.options.registry;
  }

  /**
   * Run a sync (push, then pull every entity). While one runs, further calls
   * share a single follow-up run, so a change made during a sync is pushed by
   * the next one. Never rejects: failures are in the report and the status.
   */
  sync(trigger: SyncTrigger = 'manual'): Promise<SyncReport> {
    if (this.queued) {
      if (trigger === 'manual') this.queuedForce = true;
      return this.queued;
    }
    const run = this.exclusive(async () => {
      this.queued = null;
      const force = this.queuedForce || trigger === 'manual';
      this.queuedForce = false;
      return this.runSync(trigger, force);
    });
    this.queued = run;
    return run;
  }

  /** Install the triggers: app open now and on foreground, the interval, and network regained. */
  start(): void {
    const { appState, network, timers } = this.platform;
    this.stopHooks.push(appState.onForeground(() => void this.sync('appOpen')));
    this.stopHooks.push(network.subscribe((online) => online && void this.sync('networkRegained')));
    const interval = this.options.intervalMs ?? 5 * 60_000;
    if (interval > 0) {
      const handle = timers.setInterval(() => void this.sync('interval'), interval);
      this.stopHooks.push(() => timers.clearInterval(handle));
    }
    if (this.options.uploads) {
      // The uploader runs beside syncs: on start, when an attach (any change of the uploads table) or the network calls for it.
      this.stopHooks.push(network.subscribe((online) => online && this.kickUploads()));
      const changes = this.database.withChangesForTables([UPLOAD_TABLE]).subscribe(() => this.kickUploads());
      this.stopHooks.push(() => changes.unsubscribe());
      this.stopHooks.push(() => this.uploadAbort.abort());
      this.uploadsStarted = true;
      this.stopHooks.push(() => {
        this.uploadsStarted = false;
        if (this.uploadTimer !== null) timers.clearTimeout(this.uploadTimer);
        this.uploadTimer = null;
      });
      this.kickUploads();
    }
    void this.sync('appOpen');
  }

  /** Remove the triggers. A sync in progress finishes; an upload in flight is stopped (the next start resumes it). */
  stop(): void {
    for (const hook of this.stopHooks.splice(0)) hook();
  }

  /**
   * One uploader pass over the unfinished uploads (docs/PROTOCOL.md "Media"):
   * each due one (backoff, network, `uploads.policy`) is uploaded, then a sync
   * pushes the operations that waited for it. `start()` runs passes by
   * itself; calls while one runs share a single follow-up pass.
   */
  runUploads(options: { ignoreBackoff?: boolean } = {}): Promise<UploadPassReport> {
    const uploads = this.options.uploads;
    if (!uploads) return Promise.resolve({ done: 0, retrying: 0, failed: 0, waiting: 0 });
    if (this.uploadQueued) return this.uploadQueued;
    const previous = this.uploadRunning ?? Promise.resolve();
    const run: Promise<UploadPassReport> = previous.then(async () => {
      this.uploadQueued = null;
      if (this.uploadAbort.signal.aborted) this.uploadAbort = new AbortController();
      this.uploadRunning = run;
      try {
        const report = await runUploadPass(
          {
            database: this.database,
            registry: this.registry,
            transport: this.options.transport,
            platform: this.platform,
            options: uploads,
            emit: (event) => this.events.emit(event),
            onActive: (active) => this.status.update({ uploads: active }),
          },
          { ignoreBackoff: options.ignoreBackoff, signal: this.uploadAbort.signal },
        );
        await this.refreshCounts();
        if (report.done > 0) void this.sync('uploadDone');
        this.scheduleUploads();
        return report;
      } finally {
        if (this.uploadRunning === run) this.uploadRunning = null;
      }
    });
    this.uploadQueued = run;
    return run;
  }

  /** Every upload (pending, in flight, done, failed), oldest first. */
  listUploads(): Promise<UploadEntry[]> {
    return listUploads(this.database);
  }

  /**
   * Try a failed upload again from where storage has it, and give the
   * operations parked with it a new chance (under new operation ids).
   */
  async retryUpload(uploadId: string): Promise<void> {
    await retryUploads(this.database, this.platform.clock.now(), [uploadId]);
    await this.refreshCounts();
    if (this.uploadsStarted) this.kickUploads();
  }

  /**
   * Forget finished uploads (their keys are in the records; the store's own
   * copies were released when they finished). Returns how many rows went.
   */
  async pruneUploads(): Promise<number> {
    return pruneUploads(this.database);
  }

  /**
   * What to display for a file field's value: the local file while its
   * upload is unfinished (`upload:<id>`), a read URL from the server for a
   * key (`syncFileUrl`), or null for no file.
   */
  async fileSource(value: string | null | undefined): Promise<FileDisplaySource | null> {
    return fileSource(this.database, this.options.transport, this.options.uploads?.files, value);
  }

  private uploadRunning: Promise<UploadPassReport> | null = null;
  private uploadQueued: Promise<UploadPassReport> | null = null;
  private uploadAbort = new AbortController();
  private uploadTimer: unknown = null;
  private uploadsStarted = false;

  private kickUploads(): void {
    if (this.uploadsStarted) void this.runUploads().catch(() => {});
  }

  /** A timer for the earliest retry time among waiting uploads (the platform's timers). */
  private scheduleUploads(): void {
    if (!this.uploadsStarted) return;
    void listUploads(this.database, ['pending']).then((waiting) => {
      const next = Math.min(...waiting.map((u) => u.nextAttemptAt ?? Number.POSITIVE_INFINITY));
      if (!Number.isFinite(next) || !this.uploadsStarted) return;
      const { timers, clock } = this.platform;
      if (this.uploadTimer !== null) timers.clearTimeout(this.uploadTimer);
      this.uploadTimer = timers.setTimeout(
        () => {
          this.uploadTimer = null;
          this.kickUploads();
        },
        Math.max(0, next - clock.now()),
      );
    });
  }

  /** Wait until no sync is running or queued on this database. */
  async idle(): Promise<void> {
    while (running.get(this.database)) await running.get(this.database)!.catch(() => {});
  }

  /** Settle a conflict (keep local, use server, or merge) and refresh the status. */
  async resolveConflict(conflictId: string, resolution: Resolution): Promise<void> {
    await this.exclusive(() => resolveConflict(this.database, this.registry, conflictId, resolution, this.platform.clock.now()));
    await this.refreshCounts();
  }

  /**
   * Queue and open conflicts as JSON-ready data (nothing is ever dropped
   * without a way to see it). App writes made the WatermelonDB way are queued
   * first, so they are in the export.
   */
  async exportState(): Promise<ExportedState> {
    await this.adopt();
    return exportState(this.database, this.registry, this.platform.clock.now());
  }

  /**
   * Queue the app's writes made the WatermelonDB way (`record.update`,
   * `collection.create`, `markAsDeleted`, `@writer` methods). Every sync,
   * export and force sync does it first; call it to see such writes in
   * `listPending` right away.
   */
  async adopt(): Promise<AdoptReport> {
    const report = await this.database.write(
      () => adoptLocalWrites(this.database, this.registry.entities, { now: this.platform.clock.now() }),
      'trackhub-sync adopt local writes',
    );
    if (report.inserts + report.updates + report.deletes > 0) this.events.emit({ type: 'adopted', ...report });
    return report;
  }

  /** Watch the number of queued changes not yet acknowledged (every queue change recounts it). */
  observePendingCount(): Subscribable<number> {
    return watchQuery(
      this.database,
      [QUEUE_TABLE],
      () => pendingCount(this.database),
      (a, b) => a === b,
    );
  }

  /** Watch the open conflicts, oldest first (every change of the conflicts table reads them again). */
  observeConflicts(): Subscribable<ConflictEntry[]> {
    return watchQuery(
      this.database,
      [CONFLICT_TABLE],
      () => listConflicts(this.database),
      (a, b) => JSON.stringify(a) === JSON.stringify(b),
    );
  }

  /** The sync state of one record (by local id). */
  async recordSyncState(entity: string, id: string): Promise<RecordSyncState> {
    return (await readRecordSyncStates(this.database, entityMeta(this.registry, entity), [id])).get(id)!;
  }

  /** Watch one record's sync state; the listener gets the current state first. */
  observeRecordSyncState(entity: string, id: string): Subscribable<RecordSyncState> {
    const states = this.observeSyncStates(entity, () => [id]);
    return { subscribe: (listener) => states.subscribe((map) => listener(map.get(id)!)) };
  }

  /**
   * Watch the sync states of many records (e.g. the ids of a query's result:
   * `ids` is read again on every change). The listener gets a new Map when a
   * state changed.
   */
  observeSyncStates(entity: string, ids: () => readonly string[]): Subscribable<ReadonlyMap<string, RecordSyncState>> {
    return watchRecordSyncStates(this.database, entityMeta(this.registry, entity), ids, this.sendingSignal);
  }

  /**
   * Watch the sync states of a WatermelonDB query's records (e.g.
   * `adapters.task.query(Q.where('done', false))`): follows the query's result
   * as it changes. The listener gets a Map by local id.
   */
  observeQuerySyncStates<M extends Model>(entity: string, query: Query<M>): Subscribable<ReadonlyMap<string, RecordSyncState>> {
    return {
      subscribe: (listener) => {
        let ids: string[] = [];
        const changed = new EventStream<null>();
        const records = query.observe().subscribe((list) => {
          ids = list.map((r) => r.id);
          changed.emit(null);
        });
        const signal: Subscribable<unknown> = {
          subscribe: (l) => {
            const offSending = this.sendingSignal.subscribe(l);
            const offChanged = changed.subscribe(l);
            return () => {
              offSending();
              offChanged();
            };
          },
        };
        const off = watchRecordSyncStates(this.database, entityMeta(this.registry, entity), () => ids, signal).subscribe(listener);
        return () => {
          off();
          records.unsubscribe();
        };
      },
    };
  }

  /**
   * Resolve once every write queued before the call is acknowledged by the
   * server and every entity is pulled up to the server's state at the moment
   * of the call (docs/PROTOCOL.md "Checkpoint"). It runs a sync that starts
   * after the call (never one already running, whose pull may have read the
   * server before a write it must include), so a server write committed
   * before the call is pulled. Rejects with `CheckpointError` when that
   * cannot happen now: offline, a request failed, or one of those writes is
   * in conflict or failed (it needs a decision, not time). Files those writes
   * wait for are uploaded first, backoff ignored; one that cannot finish now
   * rejects too.
   */
  async checkpoint(options: { maxRounds?: number } = {}): Promise<SyncReport> {
    await this.adopt();
    const owed = new Set((await listQueue(this.database)).map((e) => e.id));
    const rounds = options.maxRounds ?? 5;
    for (let round = 1; ; round++) {
      const report = await this.sync('manual');
      if (!report.ok) throw new CheckpointError(`checkpoint: sync failed: ${report.error}`, report, []);
      const left = (await listQueue(this.database)).filter((e) => owed.has(e.id));
      if (left.length === 0) return report;
      const stuck = left.filter((e) => e.status === 'conflict' || e.status === 'failed');
      if (stuck.length > 0) throw new CheckpointError(`checkpoint: ${stuck.length} change(s) need a decision (conflict or failed)`, report, stuck);
      await this.uploadAwaited(left, report);
      // Children wait for their parents' server ids within a sync; a retryable error waits for backoff.
      if (round >= rounds) throw new CheckpointError(`checkpoint: ${left.length} change(s) still unacknowledged after ${rounds} syncs`, report, left);
    }
  }

  /**
   * The checkpoint's part of uploads (docs/PROTOCOL.md "Checkpoint"): run the
   * uploads that `entries` wait for now, backoff ignored, so the next round
   * can push them; reject when one cannot finish now (no `uploads` option,
   * offline, the upload policy, or a failed attempt that waits to be retried).
   */
  private async uploadAwaited(entries: QueueEntry[], report: SyncReport): Promise<void> {
    const awaited = awaitedUploads(this.registry, entries);
    if (awaited.size === 0) return;
    const waiting = [...new Set([...awaited.values()].flat())];
    if (!this.options.uploads)
      throw new CheckpointError(
        `checkpoint: ${waiting.length} change(s) wait for file uploads and this engine has no \`uploads\` option`,
        report,
        waiting,
      );
    await this.runUploads({ ignoreBackoff: true });
    const unfinished = (await listUploads(this.database)).filter((u) => awaited.has(u.id) && u.status !== 'done');
    if (unfinished.length > 0) {
      const blocked = [...new Set(unfinished.flatMap((u) => awaited.get(u.id)!))];
      throw new CheckpointError(
        `checkpoint: ${unfinished.length} upload(s) could not finish now (offline, upload policy, or an attempt to retry: engine.listUploads())`,
        report,
        blocked,
      );
    }
  }

  /** Every queued change not yet acknowledged, oldest first (`sending`: handed to the transport, the server may have it). */
  listPending(): Promise<QueueEntry[]> {
    return listQueue(this.database);
  }

  /** Open conflicts, oldest first. */
  listConflicts(): Promise<ConflictEntry[]> {
    return listConflicts(this.database);
  }

  /**
   * What a diff view needs for one conflict: the differing fields (local,
   * server and base values, display strings) and the three resolutions.
   */
  async conflictDiff(conflictId: string): Promise<ConflictDiff> {
    const conflict = (await listConflicts(this.database, true)).find((c) => c.id === conflictId);
    if (!conflict) throw new Error(`no conflict ${conflictId}`);
    const entries = (await listQueue(this.database)).filter((e) => e.entity === conflict.entity && e.entityId === conflict.entityId);
    const base = entries.reduce<Record<string, unknown> | null>((acc, e) => (e.base ? { ...e.base, ...(acc ?? {}) } : acc), null);
    const meta = entityMeta(this.registry, conflict.entity);
    // The local side holds local ids in foreign keys, the server side server ids: compare like with like.
    const localData = { ...conflict.localData };
    for (const rel of meta.belongsTo) {
      const value = localData[rel.field];
      if (typeof value !== 'string') continue;
      localData[rel.field] = (await serverIdsOf(this.database, entityMeta(this.registry, rel.target), [value])).get(value) ?? value;
      if (base && typeof base[rel.field] === 'string') {
        const b = base[rel.field] as string;
        base[rel.field] = (await serverIdsOf(this.database, entityMeta(this.registry, rel.target), [b])).get(b) ?? b;
      }
    }
    return conflictDiff(meta, { ...conflict, localData }, base);
  }

  /**
   * Drop local changes of the given entities (default: all) and reload them
   * from the server. Returns the export taken first.
   */
  async forceSyncFromServer(entities?: string[]): Promise<ExportedState> {
    return this.exclusive(async () => {
      // Writes made the WatermelonDB way are queued first: the export holds them, nothing is dropped unseen.
      await this.adopt();
      const exported = await this.exportState();
      const metas = this.registry.entities.filter((e) => !entities || entities.includes(e.name));
      await forceSyncFromServer(this.database, metas);
      for (const meta of metas) await pullEntity(this.pullOptions(), meta, true);
      await this.refreshCounts();
      return exported;
    });
  }

  /**
   * Local data wins: every open conflict is resolved as keep-local (when the
   * server still has the record), parked entries are retried, and a sync runs
   * without waiting for backoff.
   */
  async forcePushLocal(): Promise<SyncReport> {
    await this.exclusive(async () => {
      for (const conflict of await listConflicts(this.database)) {
        const gone =
          conflict.serverData === null || conflict.serverData[baseNames(entityMeta(this.registry, conflict.entity)).keys.deletedAt] != null;
        await resolveConflict(
          this.database,
          this.registry,
          conflict.id,
          gone ? { kind: 'useServer' } : { kind: 'keepLocal' },
          this.platform.clock.now(),
        );
      }
      await resetFailed(this.database);
      await retryUploads(this.database, this.platform.clock.now());
    });
    return this.sync('manual');
  }

  /** Remove a space's records (and their queue entries and conflicts) from this device; returns the export taken first. */
  async wipeSpace(spaceId: string): Promise<ExportedState> {
    return this.exclusive(async () => {
      const exported = await this.exportState();
      await wipeSpace(this.database, this.registry, spaceId);
      await this.refreshCounts();
      return exported;
    });
  }

  private async runSync(trigger: SyncTrigger, ignoreBackoff: boolean): Promise<SyncReport> {
    const started = this.platform.clock.now();
    const report: SyncReport = { trigger, ok: false, error: null, push: null, pull: {}, durationMs: 0 };
    if (!this.platform.network.isOnline()) {
      report.error = 'offline';
      this.status.update({ state: 'offline', lastError: 'offline', progress: null });
      await this.refreshCounts();
      return report;
    }
    this.status.update({ state: 'syncing', progress: null });
    this.events.emit({ type: 'syncStart', trigger, at: started });
    try {
      await this.adopt();
      report.push = await pushQueue({
        database: this.database,
        registry: this.registry,
        transport: this.options.transport,
        platform: this.platform,
        batchSize: this.options.pushBatchSize,
        concurrency: this.options.pushConcurrency,
        backoff: this.options.backoff,
        ignoreBackoff,
        onProgress: ({ entity, sent }) => this.status.update({ progress: { phase: 'push', entity, done: sent } }),
        onSending: () => this.sendingSignal.emit(null),
        onBatch: (batch) => this.emitBatch(batch),
      });
      // One entity after the other; the next ones' first pages are asked for while the last page is applied.
      let pullStarted = this.platform.clock.now();
      await pullEntities(this.pullOptions(), this.registry.entities, (meta, pulled) => {
        report.pull[meta.name] = pulled;
        if (pulled.full !== 'no') {
          this.events.emit({
            type: 'resync',
            entity: meta.name,
            reason: pulled.full,
            pages: pulled.pages,
            durationMs: this.platform.clock.now() - pullStarted,
          });
        }
        pullStarted = this.platform.clock.now();
      });
      report.ok = true;
    } catch (error) {
      report.error = (error as Error).message ?? String(error);
    }
    report.durationMs = this.platform.clock.now() - started;
    this.status.update({
      state: report.ok ? 'idle' : 'error',
      lastError: report.error,
      progress: null,
      ...(report.ok ? { lastSyncAt: this.platform.clock.now() } : {}),
    });
    await this.refreshCounts();
    const pulled = Object.values(report.pull).reduce((n, p) => n + p.created + p.updated + p.deleted, 0);
    const push = report.push ?? { acknowledged: 0, conflicts: 0, failed: 0, retrying: 0 };
    this.events.emit({ type: 'syncFinish', trigger, ok: report.ok, error: report.error, durationMs: report.durationMs, ...push, pulled });
    return report;
  }

  /** Fires when entries go into a push request (their records turn `sending`). */
  private readonly sendingSignal = new EventStream<null>();

  /** One push request as events: the batch, then its conflicts, parked items and retries. */
  private emitBatch({ entity, items, results, error, durationMs }: PushBatchOutcome): void {
    const counts = { acknowledged: 0, conflicts: 0, failed: 0, retrying: 0 };
    const retry: string[] = [];
    const parked: string[] = [];
    let lastError = error?.message ?? '';
    items.forEach((item, i) => {
      const result = results?.[i];
      if (!result) {
        (error?.retryable ? retry : parked).push(item.opId);
        return;
      }
      const code = result.errorCode ?? 'INTERNAL';
      if (result.success || (code === 'NOT_FOUND' && item.op === 'delete') || result.conflict?.conflictType === 'SERVER_NEWER') {
        counts.acknowledged += 1;
      } else if (code === 'CONFLICT' || (code === 'NOT_FOUND' && item.op === 'update')) {
        counts.conflicts += 1;
        this.events.emit({
          type: 'conflict',
          entity,
          entityId: item.clientId,
          opId: item.opId,
          conflictType: result.conflict?.conflictType ?? (code === 'NOT_FOUND' ? 'DELETED' : 'VERSION_MISMATCH'),
        });
      } else {
        lastError = `${code}: ${result.errorMessage ?? 'rejected'}`;
        (NON_RETRYABLE_CODES.has(code) ? parked : retry).push(item.opId);
      }
    });
    counts.failed = parked.length;
    counts.retrying = retry.length;
    this.events.emit({ type: 'pushBatch', entity, opIds: items.map((i) => i.opId), ...counts, durationMs, error: error?.message ?? null });
    if (parked.length > 0) this.events.emit({ type: 'failure', entity, opIds: parked, error: lastError });
    if (retry.length > 0) this.events.emit({ type: 'retryScheduled', entity, opIds: retry, error: lastError });
  }

  private pullOptions() {
    return {
      database: this.database,
      registry: this.registry,
      transport: this.options.transport,
      platform: this.platform,
      limit: this.options.pullLimit,
      schema: this.options.schema,
      onPage: ({ entity, items }: { entity: string; items: number }) =>
        this.status.update({ progress: { phase: 'pull' as const, entity, done: items } }),
    };
  }

  private async refreshCounts(): Promise<void> {
    this.status.update({
      pending: await pendingCount(this.database),
      conflicts: (await listConflicts(this.database)).length,
      pendingUploads: (await listUploads(this.database, ['pending', 'uploading', 'failed'])).length,
    });
  }

  /** Runs `work` when no other sync or maintenance job runs on this database. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const previous = running.get(this.database) ?? Promise.resolve();
    const next = previous.catch(() => {}).then(work);
    running.set(this.database, next);
    void next
      .finally(() => {
        if (running.get(this.database) === next) running.delete(this.database);
      })
      .catch(() => {});
    return next;
  }
}
