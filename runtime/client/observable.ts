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

/** Something a UI can subscribe to: the listener is called on every value; returns an unsubscribe function. */
export interface Subscribable<T> {
  subscribe(listener: (value: T) => void): () => void;
}

/** A minimal event stream: listeners called synchronously, in subscription order. */
export class EventStream<T> implements Subscribable<T> {
  private listeners = new Set<(event: T) => void>();

  /** Calls `listener` on every later event; returns an unsubscribe function. */
  subscribe(listener: (event: T) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Deliver `event`; a throwing listener never breaks the sync that emitted it. */
  emit(event: T): void {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch {
        // A listener's bug is the app's to see in its own code; the sync goes on.
      }
    }
  }
}
