import type { Database, Model } from '@nozbe/watermelondb';
import { uuidv7 } from 'uuidv7';
import type { WireRecord } from '../mapping';
import { entityMeta, type SyncRegistry } from '../meta';
import { fetchQueue, prepareRenewedEntry, type QueueEntry } from '../queue';
import { queueRowOf } from '../rawRecord';
import type { SyncTransport } from '../transport';
import type { FileStore } from './fileStore';
import { fetchUploads, fileFields, findUploadRow, placeholderUploadId, prepareUploadChange, readUpload } from './uploadTable';

/**
 * Failed uploads (all, or these) pending again with fresh attempts, and the
 * operations parked with them renewed under new operation ids (a refused id
 * is never sent again, docs/PROTOCOL.md "Push"). One writer.
 */
export async function retryUploads(database: Database, now: number, uploadIds?: string[]): Promise<void> {
  await database.write(async () => {
    const rows = (await fetchUploads(database, ['failed'])).filter((r) => !uploadIds || uploadIds.includes(r.id));
    const parked: Model[] = [];
    for (const row of rows) {
      const entry = readUpload(row);
      for (const q of await fetchQueue(database, { entity: entry.entity, entityIds: [entry.entityId] })) {
        const value = (JSON.parse(queueRowOf(q).payload) as WireRecord)[entry.field];
        if (queueRowOf(q).status === 'failed' && placeholderUploadId(value) === entry.id) parked.push(q);
      }
    }
    await database.batch(
      ...rows.map((row) => prepareUploadChange(row, { status: 'pending', attempts: 0, nextAttemptAt: null, error: null }, now)),
      ...parked.flatMap((q) => [q.prepareDestroyPermanently(), prepareRenewedEntry(database, q, uuidv7())]),
    );
  }, 'trackhub-sync retry uploads');
}

/** The uploads queued operations wait for (a file field still holding its placeholder), with the operations. */
export function awaitedUploads(registry: SyncRegistry, entries: readonly QueueEntry[]): Map<string, QueueEntry[]> {
  const out = new Map<string, QueueEntry[]>();
  for (const entry of entries) {
    for (const field of fileFields(entityMeta(registry, entry.entity))) {
      const uploadId = placeholderUploadId(entry.payload[field.name]);
      if (uploadId) out.set(uploadId, [...(out.get(uploadId) ?? []), entry]);
    }
  }
  return out;
}

/** Delete the rows of finished uploads; returns how many. */
export async function pruneUploads(database: Database): Promise<number> {
  return database.write(async () => {
    const rows = await fetchUploads(database, ['done']);
    await database.batch(rows.map((r) => r.prepareDestroyPermanently()));
    return rows.length;
  }, 'trackhub-sync prune uploads');
}

/** What `engine.fileSource` returns: the local file of an unfinished upload, or a URL to read the stored object. */
export type FileDisplaySource =
  | { kind: 'local'; uploadId: string; source: string | Blob; status: 'pending' | 'uploading' | 'failed' | 'done' }
  | { kind: 'remote'; key: string; url: string; expiresAt: string | null };

/** Resolve a file field's value for display (a placeholder to its local file, a key to a read URL). */
export async function fileSource(
  database: Database,
  transport: SyncTransport,
  files: FileStore | undefined,
  value: string | null | undefined,
): Promise<FileDisplaySource | null> {
  if (!value) return null;
  const uploadId = placeholderUploadId(value);
  if (uploadId) {
    const row = await findUploadRow(database, uploadId);
    if (!row || !files) return null;
    const entry = readUpload(row);
    return { kind: 'local', uploadId, source: await files.displaySource(entry.localRef), status: entry.status };
  }
  if (!transport.fileUrl) throw new Error('the sync transport cannot resolve file keys (SyncTransport.fileUrl)');
  const { url, expiresAt } = await transport.fileUrl(value);
  return { kind: 'remote', key: value, url, expiresAt: expiresAt ?? null };
}
