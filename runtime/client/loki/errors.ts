/** Where an IndexedDB failure of a web database came from. */
export type WebDatabaseErrorKind =
  /** Opening or migrating the database failed; the database is unusable until a reload. */
  | 'setUp'
  /** Writing to IndexedDB failed: the write that waited for it rejected and was rolled back in memory. */
  | 'save'
  /** After a failed save, reloading the database from IndexedDB failed too: it is closed in this tab. */
  | 'reload'
  /** The browser's storage quota is exhausted. */
  | 'quota'
  /** This tab overwrote IndexedDB contents another tab had written (two tabs held the database at once). */
  | 'overwritten'
  /** IndexedDB was deleted or upgraded by another tab; reload the page. */
  | 'versionChange';

/** An IndexedDB failure, passed to `onError` of the web database factory (never only logged). */
export class WebDatabaseError extends Error {
  constructor(
    readonly kind: WebDatabaseErrorKind,
    readonly databaseName: string,
    readonly cause: unknown,
  ) {
    super(`web database ${databaseName}: ${kind}${cause instanceof Error ? `: ${cause.message}` : cause ? `: ${String(cause)}` : ''}`);
    this.name = 'WebDatabaseError';
  }
}

/** Turns what IndexedDB / LokiJS hand a callback (an Error, an Event, a DOMException) into an Error. */
export function toError(value: unknown): Error {
  if (value instanceof Error) return value;
  const target = (value as { target?: { error?: unknown } } | null)?.target;
  if (target?.error instanceof Error) return target.error;
  if (target?.error) return new Error(String((target.error as { message?: string }).message ?? target.error));
  return new Error(typeof value === 'string' ? value : `IndexedDB ${(value as { type?: string } | null)?.type ?? 'failure'}`);
}
