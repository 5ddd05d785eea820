import { webcrypto } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { appStateMonitor, netInfoNetwork, requireSecureRandom, uriFileStore, type NetInfoStateLike } from './index';

/** An object shaped like `@react-native-community/netinfo`: listeners and a current state. */
function fakeNetInfo(initial: NetInfoStateLike) {
  const listeners = new Set<(s: NetInfoStateLike) => void>();
  let state = initial;
  return {
    addEventListener(l: (s: NetInfoStateLike) => void) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    fetch: async () => state,
    set(next: NetInfoStateLike) {
      state = next;
      for (const l of listeners) l(next);
    },
    listeners,
  };
}

describe('netInfoNetwork', () => {
  it('online when connected and reachable; notifies changes only; dispose unsubscribes', async () => {
    const netInfo = fakeNetInfo({ isConnected: false, isInternetReachable: false });
    const network = netInfoNetwork(netInfo);
    const seen: boolean[] = [];
    network.subscribe((online) => seen.push(online));
    await netInfo.fetch(); // the adapter's own fetch resolved in the same tick order
    await Promise.resolve();
    expect(network.isOnline()).toBe(false);
    netInfo.set({ isConnected: true, isInternetReachable: null });
    netInfo.set({ isConnected: true, isInternetReachable: true });
    netInfo.set({ isConnected: true, isInternetReachable: false });
    expect(seen).toEqual([false, true, false]);
    network.dispose();
    expect(netInfo.listeners.size).toBe(0);
  });
});

describe('appStateMonitor', () => {
  it('fires on background → active only', () => {
    const listeners = new Set<(s: string) => void>();
    const appState = {
      currentState: 'active',
      addEventListener: (_type: 'change', l: (s: string) => void) => {
        listeners.add(l);
        return { remove: () => listeners.delete(l) };
      },
    };
    let fired = 0;
    const off = appStateMonitor(appState).onForeground(() => fired++);
    for (const state of ['inactive', 'background', 'active', 'active', 'background', 'active']) for (const l of listeners) l(state);
    expect(fired).toBe(2);
    off();
    expect(listeners.size).toBe(0);
  });
});

describe('requireSecureRandom', () => {
  const original = Object.getOwnPropertyDescriptor(globalThis, 'crypto')!;
  afterEach(() => {
    Object.defineProperty(globalThis, 'crypto', original);
    delete (globalThis as { UUIDV7_DENY_WEAK_RNG?: boolean }).UUIDV7_DENY_WEAK_RNG;
  });

  it('throws without getRandomValues, installs a given one, and forbids the Math.random fallback', () => {
    Object.defineProperty(globalThis, 'crypto', { value: undefined, configurable: true, writable: true });
    expect(() => requireSecureRandom()).toThrow(/react-native-get-random-values/);
    let calls = 0;
    requireSecureRandom((array) => {
      calls += 1;
      return webcrypto.getRandomValues(array as Uint8Array) as unknown as typeof array;
    });
    expect(typeof globalThis.crypto.getRandomValues).toBe('function');
    expect((globalThis as { UUIDV7_DENY_WEAK_RNG?: boolean }).UUIDV7_DENY_WEAK_RNG).toBe(true);
    globalThis.crypto.getRandomValues(new Uint8Array(4));
    expect(calls).toBe(1);
    expect(uuidv7()).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('netInfoNetwork metered', () => {
  it('reads details.isConnectionExpensive as isMetered and notifies the change', async () => {
    const netInfo = fakeNetInfo({ isConnected: true, isInternetReachable: true });
    const network = netInfoNetwork(netInfo);
    const seen: boolean[] = [];
    network.subscribe((online) => seen.push(online));
    netInfo.set({ isConnected: true, isInternetReachable: true, details: { isConnectionExpensive: true } });
    expect(network.isMetered?.()).toBe(true);
    netInfo.set({ isConnected: true, isInternetReachable: true, details: null });
    expect(network.isMetered?.()).toBe(false);
    expect(seen).toEqual([true, true]);
    network.dispose();
  });
});

describe('uriFileStore', () => {
  it('keeps the app URI as it is (size from fetch), hands tus-js-client { uri } and never deletes the file', async () => {
    const uri = `data:image/png;base64,${Buffer.from('0123456789').toString('base64')}`;
    const store = uriFileStore();
    const kept = await store.keep('u1', uri);
    expect(kept).toEqual({ ref: uri, size: 10, contentType: 'image/png', owned: false });
    expect(await store.tusInput(uri)).toEqual({ uri });
    expect(Buffer.from(await (await store.blob(uri)).arrayBuffer()).toString()).toBe('0123456789');
    await expect(store.keep('u2', new Uint8Array(3))).rejects.toThrow('attach a file URI');
  });
});
