/**
 * What the engine needs from its host, injected so the same engine runs on
 * React Native, the web and Node. Defaults use standard timers and
 * `Math.random`; network and app state have no portable source, so they
 * default to "always online, no app-state events".
 */

/** Wall clock in milliseconds since the epoch. */
export interface Clock {
  now(): number;
}

/** A cancellable timer service. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

/** Network reachability (NetInfo on React Native, `navigator.onLine` on the web). */
export interface NetworkMonitor {
  isOnline(): boolean;
  /**
   * Whether the connection is metered (cellular, a hotspot: NetInfo's
   * `details.isConnectionExpensive`, the web's `navigator.connection.saveData`).
   * Absent: unknown, treated as unmetered. Read by upload policies (`unmeteredOnly`).
   */
  isMetered?(): boolean;
  /** Calls `listener` on every change; returns an unsubscribe function. */
  subscribe(listener: (online: boolean) => void): () => void;
}

/** Foreground / background transitions (AppState on React Native, visibilitychange on the web). */
export interface AppStateMonitor {
  /** Calls `listener` when the app comes to the foreground; returns an unsubscribe function. */
  onForeground(listener: () => void): () => void;
}

export interface Platform {
  clock: Clock;
  timers: Timers;
  network: NetworkMonitor;
  appState: AppStateMonitor;
  /** Uniform in [0, 1): backoff jitter. */
  random: () => number;
}

export const systemClock: Clock = { now: () => Date.now() };

export const systemTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: (h) => clearInterval(h as ReturnType<typeof setInterval>),
};

export const alwaysOnline: NetworkMonitor = { isOnline: () => true, subscribe: () => () => {} };
export const noAppState: AppStateMonitor = { onForeground: () => () => {} };

/** Defaults for every platform service, overridden field by field. */
export function resolvePlatform(overrides: Partial<Platform> = {}): Platform {
  return {
    clock: overrides.clock ?? systemClock,
    timers: overrides.timers ?? systemTimers,
    network: overrides.network ?? alwaysOnline,
    appState: overrides.appState ?? noAppState,
    random: overrides.random ?? Math.random,
  };
}

/**
 * A network monitor driven by hand: what an app wires to its connectivity
 * library, and what tests use to go offline and back.
 */
export class ManualNetwork implements NetworkMonitor {
  private listeners = new Set<(online: boolean) => void>();
  private metered = false;
  constructor(private online = true) {}
  isOnline(): boolean {
    return this.online;
  }
  isMetered(): boolean {
    return this.metered;
  }
  /** Change the metered flag; subscribers are notified (as `online`) so waiting uploads are looked at again. */
  setMetered(metered: boolean): void {
    if (metered === this.metered) return;
    this.metered = metered;
    for (const l of this.listeners) l(this.online);
  }
  subscribe(listener: (online: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  /** Change the state and notify subscribers when it changed. */
  set(online: boolean): void {
    if (online === this.online) return;
    this.online = online;
    for (const l of this.listeners) l(online);
  }
}

/** Exponential backoff with full jitter: a random delay in [base/2, base] where base = min(max, initial * 2^(attempt-1)). */
export function backoffDelay(attempt: number, random: () => number, initialMs = 1_000, maxMs = 5 * 60_000): number {
  const base = Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(base / 2 + (random() * base) / 2);
}
