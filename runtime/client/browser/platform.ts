import type { AppStateMonitor, NetworkMonitor } from '../platform';

/**
 * Network reachability from `navigator.onLine` and the window's `online` /
 * `offline` events. `navigator.onLine === false` is reliable (no network);
 * `true` only means a network is present, so a sync can still fail and is
 * retried by the engine's backoff.
 */
export function browserNetwork(win: Window = window): NetworkMonitor {
  return {
    isOnline: () => win.navigator.onLine !== false,
    subscribe(listener) {
      const online = () => listener(true);
      const offline = () => listener(false);
      win.addEventListener('online', online);
      win.addEventListener('offline', offline);
      return () => {
        win.removeEventListener('online', online);
        win.removeEventListener('offline', offline);
      };
    },
  };
}

/** Foreground = the document became visible (`visibilitychange`). */
export function browserAppState(doc: Document = document): AppStateMonitor {
  return {
    onForeground(listener) {
      const onChange = () => doc.visibilityState === 'visible' && listener();
      doc.addEventListener('visibilitychange', onChange);
      return () => doc.removeEventListener('visibilitychange', onChange);
    },
  };
}
