import { createReadStream, openAsBlob } from 'node:fs';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type FileSource, type FileStore, MissingFileError, type StoredFile } from '../uploads/fileStore';

/**
 * The Node file store: a path is uploaded where it is (the app owns the
 * file, which must stay until the upload is done); bytes and Blobs are
 * written to `dir/<uploadId>` first so a restarted process still has them.
 */
export function nodeFileStore(options: { dir: string }): FileStore {
  const dir = resolve(options.dir);
  const existing = async (ref: string) => {
    try {
      return await stat(ref);
    } catch {
      throw new MissingFileError(`local file ${ref} is gone`);
    }
  };
  return {
    async keep(uploadId: string, source: FileSource, contentType?: string): Promise<StoredFile> {
      const type = contentType ?? (typeof source !== 'string' && !(source instanceof Uint8Array) ? source.type || null : null);
      if (typeof source === 'string') {
        const ref = resolve(source);
        return { ref, size: (await existing(ref)).size, contentType: type, owned: false };
      }
      await mkdir(dir, { recursive: true });
      const ref = join(dir, uploadId);
      const bytes = source instanceof Uint8Array ? source : new Uint8Array(await source.arrayBuffer());
      await writeFile(ref, bytes);
      return { ref, size: bytes.byteLength, contentType: type, owned: true };
    },
    async tusInput(ref) {
      await existing(ref);
      // tus-js-client reopens a path ReadStream at any offset (resume), reading one chunk at a time.
      return createReadStream(ref);
    },
    async blob(ref) {
      await existing(ref);
      return openAsBlob(ref);
    },
    async displaySource(ref) {
      return ref;
    },
    async release(ref) {
      // Only copies the store made live in `dir`: never delete an app's own file.
      if (resolve(ref).startsWith(`${dir}/`)) await rm(ref, { force: true });
    },
  };
}
