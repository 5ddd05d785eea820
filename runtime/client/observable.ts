/** A minimal subscribable value (no dependency on rxjs): the status store for UIs. */
export class ValueStore<T> {
  private listeners = new Set<(value: T) => void>();
  constructor(private current: T) {}

  /** The latest value. */
  get value(): T {
    return this.current;
  }

  /** Calls `listener` now and on every change; returns an unsubscribe function. */
  subscribe(listener: (value: T) => void): () => void {
    this.listeners.add(listener);
    listener(this.current);
    return () => this.listeners.delete(listener);
  }

  /** Replace the value (shallow-merged for objects) and notify subscribers. */
  update(patch: Partial<T>): void {
    this.current = { ...this.current, ...patch };
    for (const l of this.listeners) l(this.current);
  }
}
