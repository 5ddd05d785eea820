import type { Database } from '@nozbe/watermelondb';
import { closeDatabase, databaseClosed, databaseReady } from '../loki/factory';
import type { SyncTrigger } from '../engine';
import type { AppStateMonitor, NetworkMonitor } from '../platform';
import { defaultTabLocks, type TabLocks } from './tabLocks';

/** A session (what a tab builds over a freshly opened database: engine, adapters) may have `dispose`, called before the database closes. */
export interface TabSession {
  /** Called before the database closes in this tab. */
  dispose?(): void;
}

export interface TabDatabaseOptions<S> {
  /** The tenant database's name (`tenantDatabaseName(tenantId)`). */
  name: string;
  /** Opens it: `lokiDatabaseFactory(...)`. */
  open: (name: string) => Database;
  /** Builds the tab's objects over an opened database. */
  session: (database: Database) => S;
  /** Default: Web Locks, or localStorage leases where they are missing. */
  locks?: TabLocks;
}

type Message = { type: 'want' } | { type: 'changed' };

/**
 * A tenant database shared by the tabs of one origin (README "Web", one tab
 * at a time).
 *
 * LokiJS holds the whole database in the memory of the tab that opened it and
 * IndexedDB only receives copies; two tabs holding it at once overwrite each
 * other's copies (LokiJS's slow "another writer" path, where writes of one tab
 * were lost). So access is serialised: `run(work)` holds an exclusive lock
 * across tabs, opens the database fresh from IndexedDB when this tab did not
 * hold it last (migrations therefore run in one tab), and keeps it open until
 * another tab asks for it (a BroadcastChannel message); then, once no `run`
 * of this tab is in progress, it saves, closes and lets go. Every write is in
 * IndexedDB before it resolves, so the next tab sees it.
 *
 * Independently, one tab is the leader (`lead`): it holds a second lock for
 * its lifetime and is the only tab whose triggers sync; the browser releases
 * the lock when the tab closes and the next tab in line takes over.
 */
export class TabDatabase<S> {
  private readonly locks: TabLocks;
  private readonly channel: BroadcastChannel | null;
  private hold: { database: Database; session: S; release: () => void } | null = null;
  private acquiring: Promise<void> | null = null;
  private active = 0;
  private wanted = false;
  private changedListeners = new Set<() => void>();

  constructor(private readonly options: TabDatabaseOptions<S>) {
    this.locks = options.locks ?? defaultTabLocks();
    this.channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(`trackhub-tab:${options.name}`) : null;
    if (this.channel) this.channel.onmessage = (event: MessageEvent<Message>) => this.onMessage(event.data);
  }

  /** Whether this tab holds the database right now. */
  get holding(): boolean {
    return this.hold !== null;
  }

  /**
   * Run `work` with this tab holding the database: nothing else in any tab
   * of the origin reads or writes it meanwhile (runs of this tab may overlap
   * each other; WatermelonDB serialises their writes).
   */
  async run<T>(work: (database: Database, session: S) => Promise<T>): Promise<T> {
    this.active++;
    try {
      // A database that closed itself (its rollback could not reload IndexedDB) is let go and opened afresh.
      while (!this.hold || databaseClosed(this.hold.database)) {
        if (this.hold) await this.release();
        await this.acquire();
      }
      return await work(this.hold.database, this.hold.session);
    } finally {
      this.active--;
      if (this.active === 0 && (this.wanted || !this.channel)) void this.release();
    }
  }

  /** Tell every tab, this one included, that this tab wrote (the leader syncs it). */
  notifyChanged(): void {
    this.channel?.postMessage({ type: 'changed' } satisfies Message);
    for (const listener of this.changedListeners) listener();
  }

  /** Called when a tab (this one too) wrote to the database. */
  onChanged(listener: () => void): () => void {
    this.changedListeners.add(listener);
    return () => this.changedListeners.delete(listener);
  }

  /**
   * Become the leader when no other tab is (waiting in line otherwise), then
   * call `onLeader` until the tab closes or `stop` is called. Returns `stop`.
   */
  lead(onLeader: () => () => void): () => void {
    let stop: () => void = () => {};
    let stopped = false;
    const released = new Promise<void>((resolve) => (stop = resolve));
    void this.locks.request(`trackhub-leader:${this.options.name}`, async () => {
      if (stopped) return;
      const end = onLeader();
      await released;
      end();
    });
    return () => {
      stopped = true;
      stop();
    };
  }

  /** Save and close the database if this tab holds it, and stop listening. */
  async close(): Promise<void> {
    this.channel?.close();
    await this.release();
  }

  private acquire(): Promise<void> {
    if (this.acquiring) return this.acquiring;
    const { name } = this.options;
    // While waiting, keep asking: the holder may have been busy, or the
    // lock was handed to a third tab that has not heard the first request.
    const ask = () => this.channel?.postMessage({ type: 'want' } satisfies Message);
    ask();
    const asking = setInterval(ask, 200);
    this.acquiring = new Promise<void>((acquired, failed) => {
      void this.locks
        .request(`trackhub-db:${name}`, async () => {
          clearInterval(asking);
          let release!: () => void;
          const released = new Promise<void>((r) => (release = r));
          try {
            const database = this.options.open(name);
            await databaseReady(database);
            this.hold = { database, session: this.options.session(database), release };
            this.wanted = false;
          } catch (error) {
            failed(error);
            return;
          }
          acquired();
          await released;
        })
        .catch(failed);
    }).finally(() => {
      clearInterval(asking);
      this.acquiring = null;
    });
    return this.acquiring;
  }

  private async release(): Promise<void> {
    const hold = this.hold;
    if (!hold) return;
    this.hold = null;
    try {
      (hold.session as TabSession | null)?.dispose?.();
      await closeDatabase(hold.database);
    } finally {
      hold.release();
    }
  }

  private onMessage(message: Message): void {
    if (message.type === 'changed') {
      for (const listener of this.changedListeners) listener();
      return;
    }
    this.wanted = true;
    if (this.hold && this.active === 0) void this.release();
  }
}

export interface LeaderSyncOptions {
  network: NetworkMonitor;
  appState: AppStateMonitor;
  /** Interval trigger; 0 disables. Default 5 minutes. */
  intervalMs?: number;
  /** Delay after another tab wrote before syncing it. Default 200 ms. */
  debounceMs?: number;
  /** Told when this tab becomes the leader (true) and stops being it (false). */
  onLeadership?: (leader: boolean) => void;
}

/**
 * Sync triggers of the leader tab: at once, network regained, foreground,
 * interval, and another tab's write. `sync` runs under `tab.run`, so it never
 * overlaps another tab's access; none starts once the page is being left
 * (`pagehide`). Returns `stop` (also given up with the tab).
 */
export function leaderSync<S>(
  tab: TabDatabase<S>,
  sync: (session: S, trigger: SyncTrigger) => Promise<unknown>,
  options: LeaderSyncOptions,
): () => void {
  return tab.lead(() => {
    options.onLeadership?.(true);
    // A page going away (closed, reloaded, navigated) starts no sync: the browser would cut its
    // push off mid-request while the next leader pushes the same entries (the server's replay keeps
    // that correct, but two tabs would be pushing at once). Back from the back-forward cache, it may.
    let leaving = false;
    const run = (trigger: SyncTrigger) => void (leaving || tab.run((_, session) => sync(session, trigger)).catch(() => {}));
    let timer: ReturnType<typeof setTimeout> | null = null;
    const page = globalThis as { addEventListener?: typeof addEventListener; removeEventListener?: typeof removeEventListener };
    const onPageHide = () => {
      leaving = true;
      if (timer) clearTimeout(timer);
      timer = null;
    };
    const onPageShow = () => void (leaving = false);
    page.addEventListener?.('pagehide', onPageHide);
    page.addEventListener?.('pageshow', onPageShow);
    const hooks = [
      () => page.removeEventListener?.('pagehide', onPageHide),
      () => page.removeEventListener?.('pageshow', onPageShow),
      options.network.subscribe((online) => online && run('networkRegained')),
      options.appState.onForeground(() => run('appOpen')),
      tab.onChanged(() => {
        if (timer) return;
        timer = setTimeout(() => {
          timer = null;
          run('manual');
        }, options.debounceMs ?? 200);
      }),
    ];
    const interval = options.intervalMs ?? 5 * 60_000;
    const handle = interval > 0 ? setInterval(() => run('interval'), interval) : null;
    run('appOpen');
    return () => {
      for (const hook of hooks) hook();
      if (timer) clearTimeout(timer);
      if (handle) clearInterval(handle);
      options.onLeadership?.(false);
    };
  });
}
