import type { Model } from '@nozbe/watermelondb';
import { LocalWriteError, updateLocal, type WriteContext } from '../localWrites';
import { rawOf } from '../rawRecord';
import { acceptsType, type FileSource, type FileStore } from './fileStore';
import { findUploadRow, placeholderUploadId, prepareUploadRow, readUpload, uploadPlaceholder, type UploadEntry } from './uploadTable';

/**
 * Attach a file to a record's file field (docs/PROTOCOL.md "Media"): the file
 * is kept by the store, then ONE transaction writes the upload row, the field
 * (the placeholder `upload:<uploadId>`) and its queued change. An earlier
 * unfinished upload of the same field is dropped in that transaction.
 */
export async function attachLocal(
  ctx: WriteContext,
  files: FileStore | undefined,
  id: string,
  fieldName: string,
  source: FileSource,
  options: { contentType?: string } = {},
): Promise<UploadEntry> {
  const { meta, database } = ctx;
  const field = meta.fields.find((f) => f.name === fieldName);
  if (!field?.file) throw new LocalWriteError(`${meta.name}: '${fieldName}' is not a file field (@sync.file)`);
  if (!files) throw new LocalWriteError(`${meta.name}.${fieldName}: attach needs a file store (AdapterContext.files)`);
  const uploadId = ctx.newId();
  const stored = await files.keep(uploadId, source, options.contentType);
  const refuse = async (message: string): Promise<never> => {
    if (stored.owned) await files.release(stored.ref);
    throw new LocalWriteError(`${meta.name}: file '${fieldName}': ${message}`);
  };
  const { maxBytes, accept } = field.file;
  if (maxBytes !== undefined && stored.size > maxBytes) await refuse(`${stored.size} bytes is over the limit of ${maxBytes}`);
  if (accept && accept.length > 0 && !acceptsType(accept, stored.contentType)) {
    await refuse(`content type ${stored.contentType ?? '(unknown)'} is not one of ${accept.join(', ')}`);
  }
  const now = ctx.clock.now();
  const entry: UploadEntry = {
    id: uploadId,
    entity: meta.name,
    entityId: id,
    field: fieldName,
    localRef: stored.ref,
    owned: stored.owned,
    size: stored.size,
    contentType: stored.contentType,
    status: 'pending',
    attempts: 0,
    bytesSent: 0,
    key: null,
    uploadUrl: null,
    ticket: null,
    nextAttemptAt: null,
    error: null,
    createdAt: now,
    updatedAt: now,
  };
  let superseded: UploadEntry | null = null;
  try {
    await updateLocal(ctx, id, { [fieldName]: uploadPlaceholder(uploadId) }, async (record) => {
      const previousId = placeholderUploadId(rawOf(record)[field.column]);
      const previous = previousId ? await findUploadRow(database, previousId) : null;
      superseded = previous && readUpload(previous).status !== 'done' ? readUpload(previous) : null;
      return () => [prepareUploadRow(database, entry), ...(superseded && previous ? [previous.prepareDestroyPermanently() as Model] : [])];
    });
  } catch (error) {
    if (stored.owned) await files.release(stored.ref);
    throw error;
  }
  const dropped = superseded as UploadEntry | null;
  if (dropped?.owned) await files.release(dropped.localRef).catch(() => {});
  return entry;
}
