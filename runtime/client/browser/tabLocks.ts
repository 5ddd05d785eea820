/**
 * Exclusive named locks across the tabs of one origin. `webLocks()` uses the
 * Web Locks API (released by the browser when a tab closes or crashes);
 * `leaseLocks()` is the fallback where `navigator.locks` is missing: a lease in
 * localStorage, renewed while held and taken over when it expires.
 */
export interface TabLocks {
  /** Run `work` while holding `name` exclusively; waits for the holder to let go. */
  request<T>(name: string, work: () => Promise<T>): Promise<T>;
}

interface LockManagerLike {
  request<T>(name: string, options: { mode: 'exclusive' }, callback: () => Promise<T>): Promise<T>;
}

/** The Web Locks API of this window. */
export function webLocks(locks: LockManagerLike = (navigator as unknown as { locks: LockManagerLike }).locks): TabLocks {
  return { request: (name, work) => locks.request(name, { mode: 'exclusive' }, work) };
}

export interface LeaseOptions {
  /** A lease not renewed for this long is free (its tab closed or hung). Default 3000 ms. */
  ttlMs?: number;
  storage?: Storage;
  /** Identifies this tab. Default: random. */
  tabId?: string;
}

/**
 * Locks as leases in localStorage, for browsers without Web Locks. Best
 * effort: localStorage has no compare-and-set, so a take-over is confirmed by
 * reading the lease back after a short delay; a tab that closes without
 * `pagehide` holds its lease until `ttlMs` passes.
 */
export function leaseLocks(options: LeaseOptions = {}): TabLocks {
  const ttl = options.ttlMs ?? 3000;
  const storage = options.storage ?? localStorage;
  const me = options.tabId ?? Math.random().toString(36).slice(2);
  const key = (name: string) => `trackhub-lease:${name}`;
  const read = (name: string): { owner: string; expires: number } | null => {
    try {
      return JSON.parse(storage.getItem(key(name)) ?? 'null');
    } catch {
      return null;
    }
  };
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const chain = new Map<string, Promise<unknown>>();

  async function acquire(name: string): Promise<void> {
    for (;;) {
      const lease = read(name);
      if (!lease || lease.expires < Date.now() || lease.owner === me) {
        storage.setItem(key(name), JSON.stringify({ owner: me, expires: Date.now() + ttl }));
        await sleep(50);
        if (read(name)?.owner === me) return;
      }
      await sleep(100);
    }
  }

  function request<T>(name: string, work: () => Promise<T>): Promise<T> {
    // Within one tab, requests for a name queue behind each other.
    const previous = chain.get(name) ?? Promise.resolve();
    const next = previous
      .catch(() => {})
      .then(async () => {
        await acquire(name);
        const renew = setInterval(() => storage.setItem(key(name), JSON.stringify({ owner: me, expires: Date.now() + ttl })), ttl / 3);
        const drop = () => {
          if (read(name)?.owner === me) storage.removeItem(key(name));
        };
        addEventListener('pagehide', drop);
        try {
          return await work();
        } finally {
          clearInterval(renew);
          removeEventListener('pagehide', drop);
          drop();
        }
      });
    chain.set(name, next);
    return next;
  }
  return { request };
}

/** Web Locks where the browser has them, leases otherwise. */
export function defaultTabLocks(): TabLocks {
  const locks = (globalThis.navigator as unknown as { locks?: LockManagerLike } | undefined)?.locks;
  return locks && typeof locks.request === 'function' ? webLocks(locks) : leaseLocks();
}
