/**
 * React Native helpers (`trackhub-sync/react-native`): NetInfo and AppState
 * adapters for the engine's platform, and a secure random source for UUID v7
 * ids. `@react-native-community/netinfo` and `react-native` are optional
 * peers: the adapters take the modules' objects, typed by the few members they
 * use, so nothing is imported here.
 */
import type { AppStateMonitor, FileStore, NetworkMonitor } from '../client/index';

/** The part of a NetInfo state the adapter reads. */
export interface NetInfoStateLike {
  isConnected: boolean | null;
  /** `null` while unknown; `false` means connected to a network without internet. */
  isInternetReachable?: boolean | null;
  /** NetInfo's `details.isConnectionExpensive`: cellular, a hotspot (read as `isMetered`). */
  details?: { isConnectionExpensive?: boolean } | null;
}

/** The part of `@react-native-community/netinfo`'s default export the adapter uses. */
export interface NetInfoLike {
  addEventListener(listener: (state: NetInfoStateLike) => void): () => void;
  fetch(): Promise<NetInfoStateLike>;
}

/**
 * The engine's network monitor over NetInfo: online when connected and the
 * internet is not known to be unreachable. Starts as "online" until NetInfo's
 * first answer (a failed request is retried anyway); keep one per app.
 */
export function netInfoNetwork(netInfo: NetInfoLike): NetworkMonitor & { dispose(): void } {
  let online = true;
  let metered = false;
  const listeners = new Set<(online: boolean) => void>();
  const apply = (state: NetInfoStateLike) => {
    const next = state.isConnected !== false && state.isInternetReachable !== false;
    const nextMetered = state.details?.isConnectionExpensive === true;
    if (next === online && nextMetered === metered) return;
    online = next;
    metered = nextMetered;
    for (const l of listeners) l(online);
  };
  const unsubscribe = netInfo.addEventListener(apply);
  void netInfo.fetch().then(apply, () => {});
  return {
    isOnline: () => online,
    isMetered: () => metered,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose: unsubscribe,
  };
}

/** The part of React Native's `AppState` the adapter uses. */
export interface AppStateLike {
  currentState: string | null;
  addEventListener(type: 'change', listener: (state: string) => void): { remove(): void };
}

/** The engine's app-state monitor over `AppState`: fires when the app comes back to `active`. */
export function appStateMonitor(appState: AppStateLike): AppStateMonitor {
  return {
    onForeground(listener) {
      let last = appState.currentState;
      const subscription = appState.addEventListener('change', (next) => {
        if (next === 'active' && last !== 'active') listener();
        last = next;
      });
      return () => subscription.remove();
    },
  };
}

/** `crypto.getRandomValues` as Web Crypto defines it. */
export type GetRandomValues = <T extends ArrayBufferView | null>(array: T) => T;

/**
 * Make sure UUID v7 ids (record and operation ids) come from a secure random
 * source. Hermes has no `crypto.getRandomValues`, and the `uuidv7` package
 * then silently falls back to `Math.random`. Call this at startup, before
 * the first write: with `getRandomValues` (e.g. from `expo-crypto`) it
 * installs it when missing; without one and none present it throws (import
 * `react-native-get-random-values` first, or pass one). Either way `uuidv7`
 * is told to refuse the weak fallback.
 */
export function requireSecureRandom(getRandomValues?: GetRandomValues): void {
  const g = globalThis as { crypto?: { getRandomValues?: unknown }; UUIDV7_DENY_WEAK_RNG?: boolean };
  if (typeof g.crypto?.getRandomValues !== 'function') {
    if (!getRandomValues) {
      throw new Error(
        'trackhub-sync: no crypto.getRandomValues: ids would come from Math.random. ' +
          "Import 'react-native-get-random-values' before the app, or pass a getRandomValues (e.g. expo-crypto's)",
      );
    }
    const existing = g.crypto ?? {};
    Object.defineProperty(globalThis, 'crypto', { value: { ...existing, getRandomValues }, configurable: true, writable: true });
  }
  g.UUIDV7_DENY_WEAK_RNG = true;
}

/**
 * The React Native file store: the attached value is the app's file URI
 * (`file://`, `content://`, from the camera or a picker), uploaded where it
 * is. tus-js-client reads `{ uri }` itself; a presigned PUT sends
 * `fetch(uri).blob()`. The app owns the file: it must stay until the upload
 * is done (copy a camera's temporary file into the app's documents first),
 * and the store never deletes it.
 */
export function uriFileStore(options: { fetch?: typeof fetch } = {}): FileStore {
  const blob = async (uri: string): Promise<Blob> => {
    const response = await (options.fetch ?? fetch)(uri);
    if (!response.ok && response.status !== 0) throw new Error(`cannot read ${uri}: ${response.status}`);
    return response.blob();
  };
  return {
    async keep(_uploadId, source, contentType) {
      if (typeof source !== 'string') throw new TypeError('on React Native, attach a file URI');
      const file = await blob(source);
      return { ref: source, size: file.size, contentType: contentType ?? (file.type || null), owned: false };
    },
    tusInput: async (uri) => ({ uri }),
    blob,
    displaySource: async (uri) => uri,
    release: async () => {},
  };
}
