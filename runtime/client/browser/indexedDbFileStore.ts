import { type FileSource, type FileStore, MissingFileError, type StoredFile } from '../uploads/fileStore';

const STORE = 'files';
const PREFIX = 'idb:';

/**
 * The web file store: an attached `Blob` / `File` (or bytes) is copied into
 * IndexedDB under its upload id, because a `File` object does not survive a
 * reload and a web page has no path to reopen it by. The copy is released
 * once the upload is done. A string source is refused: the web has no file
 * paths. Bounded by the browser's storage quota for the origin.
 */
export function indexedDbFileStore(options: { name?: string; indexedDB?: IDBFactory } = {}): FileStore {
  const name = options.name ?? 'trackhub-sync-files';
  let opened: Promise<IDBDatabase> | null = null;
  const db = () =>
    (opened ??= new Promise<IDBDatabase>((resolve, reject) => {
      const request = (options.indexedDB ?? indexedDB).open(name, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    }));
  const run = async <T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> => {
    const tx = (await db()).transaction(STORE, mode);
    const request = work(tx.objectStore(STORE));
    return new Promise<T>((resolve, reject) => {
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  };
  const read = async (ref: string): Promise<Blob> => {
    const blob = await run<Blob | undefined>('readonly', (s) => s.get(ref.slice(PREFIX.length)) as IDBRequest<Blob | undefined>);
    if (!blob) throw new MissingFileError(`local file ${ref} is gone`);
    return blob;
  };
  return {
    async keep(uploadId: string, source: FileSource, contentType?: string): Promise<StoredFile> {
      if (typeof source === 'string') throw new TypeError('on the web, attach a Blob or File (there are no file paths)');
      const blob = source instanceof Uint8Array ? new Blob([source as Uint8Array<ArrayBuffer>], { type: contentType ?? '' }) : source;
      await run('readwrite', (s) => s.put(blob, uploadId));
      return { ref: `${PREFIX}${uploadId}`, size: blob.size, contentType: contentType ?? (blob.type || null), owned: true };
    },
    tusInput: read,
    blob: read,
    displaySource: read,
    async release(ref) {
      await run('readwrite', (s) => s.delete(ref.slice(PREFIX.length)));
    },
  };
}
