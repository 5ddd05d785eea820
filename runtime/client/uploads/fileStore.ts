/**
 * What `attach` takes: a path or URI (Node: a file path; React Native: a
 * `file://` / `content://` URI), a `Blob` / `File` (web), or bytes (Node
 * `Buffer`, `Uint8Array`).
 */
export type FileSource = string | Blob | Uint8Array;

/** A file the store keeps for an upload: what the upload row records. */
export interface StoredFile {
  /** Where the store finds the bytes again after a restart (recorded as the row's `local_path`). */
  ref: string;
  size: number;
  contentType: string | null;
  /** The store made a copy (bytes, a Blob): released after the upload; app paths and URIs never are. */
  owned: boolean;
}

/**
 * Where an upload's bytes live until the upload is done, one per platform
 * (docs/PROTOCOL.md "Media"): `nodeFileStore` (trackhub-sync/runtime/client/node),
 * `indexedDbFileStore` (…/browser: a Blob survives a reload only in IndexedDB),
 * `uriFileStore` (…/react-native: the app's URI, read with `fetch`).
 */
export interface FileStore {
  /** Keep `source` for upload `uploadId` (copy bytes / a Blob so they survive a restart). */
  keep(uploadId: string, source: FileSource, contentType?: string): Promise<StoredFile>;
  /** The bytes in the form `tus-js-client` takes on this platform (Node: a path ReadStream; web: a Blob; React Native: `{ uri }`). */
  tusInput(ref: string): Promise<unknown>;
  /** The bytes as a `Blob`, the body of a presigned PUT. */
  blob(ref: string): Promise<Blob>;
  /** Something to display while the upload is unfinished: a path / URI, or the Blob. */
  displaySource(ref: string): Promise<string | Blob>;
  /** Delete a copy the store made (`owned`); a missing copy is not an error. */
  release(ref: string): Promise<void>;
}

/** The local file is gone (deleted, or the app lost the permission): the upload can never succeed. */
export class MissingFileError extends Error {
  override name = 'MissingFileError';
}

/** Whether `contentType` matches one of `accept` (`image/*`, `application/pdf`, `*\/*`). */
export function acceptsType(accept: readonly string[], contentType: string | null): boolean {
  if (!contentType) return false;
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return accept.some((pattern) => {
    const p = pattern.trim().toLowerCase();
    if (p === '*/*' || p === '*') return true;
    return p.endsWith('/*') ? type.startsWith(p.slice(0, -1)) : type === p;
  });
}
