import type { Database } from '@nozbe/watermelondb';
import { listConflicts, resolveConflict, type ConflictEntry, type Resolution } from './conflicts';
import { exportState, forceSyncFromServer, resetFailed, wipeSpace, type ExportedState } from './admin';
import type { SyncRegistry } from './meta';
import { ValueStore } from './observable';
import { resolvePlatform, type Platform } from './platform';
import { pullEntity, type PullReport } from './pull';
import { pushQueue, type PushReport } from './push';
import { listQueue, pendingCount, type QueueEntry } from './queue';
import type { SyncTransport } from './transport';

/** What started a sync (README "Client sync"). */
export type SyncTrigger = 'manual' | 'appOpen' | 'interval' | 'networkRegained';

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
  /** Push batch size, at most 100 (README "Client sync"). */
  pushBatchSize?: number;
  /** Push batches of one entity in flight at once. Default 2. */
  pushConcurrency?: number;
  /** Retry backoff. Default 1 s doubling to 5 min, with jitter. */
  backoff?: { initialMs: number; maxMs: number };
}

const running = new WeakMap<Database, Promise<unknown>>();

/**
 * The sync engine of one tenant database: push then pull, one sync at a time
 * per database (also across engines sharing it), triggers, status, conflicts
 * and the destructive operations (each of which can export first).
 */
export class SyncEngine {
  readonly status: ValueStore<SyncStatus>;
  private readonly platform: Platform;
  private queued: Promise<SyncReport> | null = null;
  private queuedForce = false;
  private stopHooks: (() => void)[] = [];

  constructor(private readonly options: SyncEngineOptions) {
    this.platform = resolvePlatform(options.platform);
    this.status = new ValueStore<SyncStatus>({ state: 'idle', pending: 0, conflicts: 0, lastSyncAt: null, lastError: null, progress: null });
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
    void this.sync('appOpen');
  }

  /** Remove the triggers. A sync in progress finishes. */
  stop(): void {
    for (const hook of this.stopHooks.splice(0)) hook();
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

  /** Queue and open conflicts as JSON-ready data (nothing is ever dropped without a way to see it). */
  exportState(): Promise<ExportedState> {
    return exportState(this.database, this.registry, this.platform.clock.now());
  }

  /** Every queued change not yet acknowledged, oldest first (`sending` while in a request). */
  listPending(): Promise<QueueEntry[]> {
    return listQueue(this.database);
  }

  /** Open conflicts, oldest first. */
  listConflicts(): Promise<ConflictEntry[]> {
    return listConflicts(this.database);
  }

  /**
   * Drop local changes of the given entities (default: all) and reload them
   * from the server. Returns the export taken first.
   */
  async forceSyncFromServer(entities?: string[]): Promise<ExportedState> {
    return this.exclusive(async () => {
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
        const gone = conflict.serverData === null || conflict.serverData.deletedAt != null;
        await resolveConflict(this.database, this.registry, conflict.id, gone ? { kind: 'useServer' } : { kind: 'keepLocal' }, this.platform.clock.now());
      }
      await resetFailed(this.database);
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
    try {
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
      });
      for (const meta of this.registry.entities) {
        report.pull[meta.name] = await pullEntity(this.pullOptions(), meta);
      }
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
    return report;
  }

  private pullOptions() {
    return {
      database: this.database,
      registry: this.registry,
      transport: this.options.transport,
      platform: this.platform,
      limit: this.options.pullLimit,
      onPage: ({ entity, items }: { entity: string; items: number }) => this.status.update({ progress: { phase: 'pull' as const, entity, done: items } }),
    };
  }

  private async refreshCounts(): Promise<void> {
    this.status.update({ pending: await pendingCount(this.database), conflicts: (await listConflicts(this.database)).length });
  }

  /** Runs `work` when no other sync or maintenance job runs on this database. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const previous = running.get(this.database) ?? Promise.resolve();
    const next = previous.catch(() => {}).then(work);
    running.set(this.database, next);
    void next.finally(() => {
      if (running.get(this.database) === next) running.delete(this.database);
    }).catch(() => {});
    return next;
  }
}
