/**
 * React bindings of the client engine (`trackhub-sync/react`; React is a peer
 * dependency). Each hook subscribes to one engine observable and re-renders on
 * change: put the engine in a `SyncEngineProvider` or pass it to the hook.
 */
import { createContext, createElement, useContext, useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import type { ConflictEntry, RecordSyncState, Subscribable, SyncEngine, SyncStatus } from '../client/index';

const EngineContext = createContext<SyncEngine | null>(null);

/** Makes `engine` the default of every hook below it. */
export function SyncEngineProvider(props: { engine: SyncEngine; children?: ReactNode }): ReactNode {
  return createElement(EngineContext.Provider, { value: props.engine }, props.children);
}

/** The engine given, or the one of the nearest `SyncEngineProvider`. */
export function useSyncEngine(engine?: SyncEngine): SyncEngine {
  const fromContext = useContext(EngineContext);
  const found = engine ?? fromContext;
  if (!found) throw new Error('trackhub-sync/react: no engine: wrap the tree in <SyncEngineProvider engine={engine}> or pass one to the hook');
  return found;
}

/** The engine's status (`idle | syncing | error | offline`, pending, conflicts, progress, last error). */
export function useSyncStatus(engine?: SyncEngine): SyncStatus {
  const store = useSyncEngine(engine).status;
  return useSyncExternalStore(
    (onChange) => store.subscribe(() => onChange()),
    () => store.value,
    () => store.value,
  );
}

/** Queued changes not yet acknowledged by the server; null until first read. */
export function usePendingCount(engine?: SyncEngine): number | null {
  const e = useSyncEngine(engine);
  return useSubscribable(() => e.observePendingCount(), [e], null);
}

/** Open conflicts, oldest first (each with `engine.conflictDiff(id)` for a diff view); empty until first read. */
export function useConflicts(engine?: SyncEngine): ConflictEntry[] {
  const e = useSyncEngine(engine);
  return useSubscribable(() => e.observeConflicts(), [e], EMPTY);
}

/** One record's `pending | sending | synced | conflict | failed`; null until first read or without an id. */
export function useRecordSyncState(entity: string, id: string | null | undefined, engine?: SyncEngine): RecordSyncState | null {
  const e = useSyncEngine(engine);
  const state = useSubscribable(() => (id ? e.observeRecordSyncState(entity, id) : null), [e, entity, id], null);
  return id ? state : null;
}

const EMPTY: ConflictEntry[] = [];

/** The latest value of a subscribable made from `deps` (re-subscribed when they change). */
function useSubscribable<T, I>(make: () => Subscribable<T> | null, deps: unknown[], initial: I): T | I {
  const [value, setValue] = useState<T | I>(initial);
  // `make` is rebuilt every render; `deps` says when the source really changes
  // (biome.json turns useExhaustiveDependencies off for this hook's module).
  useEffect(() => {
    const source = make();
    if (!source) return undefined;
    return source.subscribe((next) => setValue(() => next));
  }, deps);
  return value;
}
