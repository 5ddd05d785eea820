import { Q, type Database, type Model } from '@nozbe/watermelondb';
import { prepareEngineUpdate } from '../adoptLocalWrites';
import type { SyncEvent } from '../events';
import type { WireRecord } from '../mapping';
import { entityMeta, type SyncRegistry } from '../meta';
import { backoffDelay, type NetworkMonitor, type Platform } from '../platform';
import { fetchQueue } from '../queue';
import { queueRowOf, rawOf } from '../rawRecord';
import { TransportError, type SyncTransport } from '../transport';
import type { FileStore } from './fileStore';
import { fetchUploads, findUploadRow, prepareUploadChange, readUpload, uploadPlaceholder, type UploadEntry, type UploadTicket } from './uploadTable';
import { UploadError, type UploadTransport } from './uploadTransport';

/** Whether an upload may run now (e.g. `unmeteredOnly`). Called before every attempt. */
export type UploadPolicy = (context: { network: NetworkMonitor; upload: UploadEntry }) => boolean;

/** Upload only while online and not on a metered connection (`NetworkMonitor.isMetered`). */
export const unmeteredOnly: UploadPolicy = ({ network }) => network.isOnline() && network.isMetered?.() !== true;

/** The background uploader's settings (`SyncEngineOptions.uploads`). */
export interface UploadOptions {
  /** Where attached files are kept until uploaded (`nodeFileStore`, `indexedDbFileStore`, `uriFileStore`). */
  files: FileStore;
  /** One per ticket method the server may issue (`tusUploadTransport`, `putUploadTransport`). */
  transports: UploadTransport[];
  /** Default: while online. */
  policy?: UploadPolicy;
  /** Retry backoff. Default 2 s doubling to 10 min, with jitter. */
  backoff?: { initialMs: number; maxMs: number };
  /** Attempts before a retryable failure becomes final. Default 10. */
  maxAttempts?: number;
  /** Delete the store's own copy (attached bytes / Blob) once the upload is done. Default true. */
  releaseAfterUpload?: boolean;
}

/** What one uploader pass did. */
export interface UploadPassReport {
  done: number;
  retrying: number;
  failed: number;
  /** Not attempted: waiting for backoff, offline, or refused by the policy. */
  waiting: number;
}

/** The progress of one upload in flight (`SyncStatus.uploads`). */
export interface UploadProgress {
  uploadId: string;
  entity: string;
  entityId: string;
  field: string;
  sent: number;
  acknowledged: number;
  size: number;
}

export interface UploaderContext {
  database: Database;
  registry: SyncRegistry;
  transport: SyncTransport;
  platform: Platform;
  options: UploadOptions;
  emit(event: SyncEvent): void;
  /** The uploads in flight changed (status observable). */
  onActive(active: UploadProgress[]): void;
}

/**
 * One pass over the unfinished uploads, oldest first, one at a time: ask a
 * ticket (kept, and asked again only once it expired), upload through the
 * transport its method names, then finish in one writer (docs/PROTOCOL.md
 * "Media"). `uploading` rows left by a killed run are resumed like pending ones.
 */
export async function runUploadPass(ctx: UploaderContext, options: { ignoreBackoff?: boolean; signal: AbortSignal }): Promise<UploadPassReport> {
  const report: UploadPassReport = { done: 0, retrying: 0, failed: 0, waiting: 0 };
  const policy = ctx.options.policy ?? (({ network }) => network.isOnline());
  for (const row of await fetchUploads(ctx.database, ['pending', 'uploading'])) {
    if (options.signal.aborted) break;
    const entry = readUpload(row);
    const due = options.ignoreBackoff || entry.nextAttemptAt === null || entry.nextAttemptAt <= ctx.platform.clock.now();
    if (!due || !ctx.platform.network.isOnline() || !policy({ network: ctx.platform.network, upload: entry })) {
      report.waiting += 1;
      continue;
    }
    const outcome = await attempt(ctx, entry.id, options.signal);
    if (outcome === 'done') report.done += 1;
    else if (outcome === 'retry') report.retrying += 1;
    else if (outcome === 'failed') report.failed += 1;
  }
  return report;
}

/** A ticket is asked again this long before it expires. */
const TICKET_MARGIN_MS = 30_000;

async function attempt(ctx: UploaderContext, uploadId: string, signal: AbortSignal): Promise<'done' | 'retry' | 'failed' | 'gone'> {
  const { platform } = ctx;
  if (await dropIfOrphaned(ctx, uploadId)) return 'gone';
  // Counted before any network call (docs/PROTOCOL.md "Crash safety"): a kill mid-way still counts the attempt.
  const started = await changeUpload(ctx, uploadId, (e) => ({ status: 'uploading', attempts: e.attempts + 1 }));
  if (!started) return 'gone';
  let entry = started;
  const progress: UploadProgress = {
    uploadId,
    entity: entry.entity,
    entityId: entry.entityId,
    field: entry.field,
    sent: entry.bytesSent,
    acknowledged: entry.bytesSent,
    size: entry.size,
  };
  const report = () => {
    ctx.onActive([{ ...progress }]);
    ctx.emit({ type: 'uploadProgress', ...progress });
  };
  try {
    let ticket = entry.ticket;
    if (!ticket || (ticket.expiresAt && Date.parse(ticket.expiresAt) - TICKET_MARGIN_MS <= platform.clock.now())) {
      ticket = await askTicket(ctx, entry);
      entry = (await changeUpload(ctx, uploadId, () => ({ ticket, key: ticket!.key })))!;
      if (!entry) return 'gone';
    }
    const transport = ctx.options.transports.find((t) => t.method === ticket!.method);
    if (!transport) throw new UploadError(`no upload transport for method '${ticket.method}'`, false);
    report();
    let acknowledged = Promise.resolve();
    await transport.upload({
      uploadId,
      ticket,
      size: entry.size,
      contentType: entry.contentType,
      files: ctx.options.files,
      ref: entry.localRef,
      resumeUrl: entry.uploadUrl,
      onUploadUrl: async (url) => {
        await changeUpload(ctx, uploadId, () => ({ uploadUrl: url }));
      },
      onProgress: (sent) => {
        // At most ~100 progress events per file.
        if (sent - progress.sent < entry.size / 100 && sent < entry.size) return;
        progress.sent = sent;
        report();
      },
      onAcknowledged: (offset) => {
        progress.acknowledged = offset;
        progress.sent = Math.max(progress.sent, offset);
        report();
        // Informative (the server's offset is what a resume uses); written in order, awaited before the finish.
        acknowledged = acknowledged.then(() => changeUpload(ctx, uploadId, () => ({ bytesSent: offset }))).then(() => {});
      },
      signal,
    });
    await acknowledged;
    const finished = await finishUpload(ctx, uploadId, ticket.key);
    if (!finished) return 'gone';
    ctx.emit({
      type: 'uploadDone',
      uploadId,
      entity: finished.entity,
      entityId: finished.entityId,
      field: finished.field,
      key: ticket.key,
      size: finished.size,
      attempts: finished.attempts,
    });
    if (finished.owned && ctx.options.releaseAfterUpload !== false) await ctx.options.files.release(finished.localRef).catch(() => {});
    return 'done';
  } catch (error) {
    return failAttempt(ctx, uploadId, error, signal);
  } finally {
    ctx.onActive([]);
  }
}

/** Ask the server for a ticket; the same upload id always gets the same key (MEDIA contract). */
async function askTicket(ctx: UploaderContext, entry: UploadEntry): Promise<UploadTicket> {
  if (!ctx.transport.uploadTicket) throw new UploadError('the sync transport cannot ask for upload tickets (SyncTransport.uploadTicket)', false);
  const meta = entityMeta(ctx.registry, entry.entity);
  const [record] = await ctx.database.get<Model>(meta.table).query(Q.where('id', entry.entityId)).fetch();
  // The server id when the record reached the server, else its local id (the server's clientId).
  const recordId = (record && (rawOf(record).server_id as string | null)) || entry.entityId;
  try {
    return await ctx.transport.uploadTicket({
      entity: entry.entity,
      field: entry.field,
      recordId,
      uploadId: entry.id,
      size: entry.size,
      contentType: entry.contentType,
    });
  } catch (error) {
    if (error instanceof TransportError) {
      // A refused ticket (BAD_REQUEST: over maxBytes, a type not accepted; FORBIDDEN) never succeeds later.
      const retryable = error.retryable || error.code === 'UNAUTHENTICATED';
      throw new UploadError(`ticket: ${error.message}`, retryable);
    }
    throw error;
  }
}

/**
 * The upload is complete, in one writer: the row `done` with its key, the
 * record's field and every queued payload still holding the placeholder set
 * to the key. The push waiting for it can then go.
 */
async function finishUpload(ctx: UploaderContext, uploadId: string, key: string): Promise<UploadEntry | null> {
  const { database } = ctx;
  return database.write(async () => {
    const row = await findUploadRow(database, uploadId);
    if (!row) return null;
    const entry = readUpload(row);
    const meta = entityMeta(ctx.registry, entry.entity);
    const field = meta.fields.find((f) => f.name === entry.field)!;
    const placeholder = uploadPlaceholder(uploadId);
    const [record] = await database.get<Model>(meta.table).query(Q.where('id', entry.entityId)).fetch();
    const queued = await fetchQueue(database, { entity: entry.entity, entityIds: [entry.entityId] });
    const ops: Model[] = [
      prepareUploadChange(row, { status: 'done', key, bytesSent: entry.size, error: null, nextAttemptAt: null }, ctx.platform.clock.now()),
    ];
    if (record && rawOf(record)[field.column] === placeholder) ops.push(prepareEngineUpdate(record, (r) => r._setRaw(field.column, key)));
    for (const q of queued) {
      const payload = JSON.parse(queueRowOf(q).payload) as WireRecord;
      if (payload[field.name] !== placeholder) continue;
      payload[field.name] = key;
      ops.push(prepareEngineUpdate(q, (r) => r._setRaw('payload', JSON.stringify(payload))));
    }
    await database.batch(ops);
    return { ...entry, status: 'done' as const, key };
  }, 'trackhub-sync finish upload');
}

/** A failed attempt: retried with backoff, or (final error, attempts used up) the upload fails and its operations are parked. */
async function failAttempt(ctx: UploaderContext, uploadId: string, error: unknown, signal: AbortSignal): Promise<'retry' | 'failed' | 'gone'> {
  const { database, platform } = ctx;
  const failure = error instanceof UploadError ? error : new UploadError(String((error as Error)?.message ?? error), true);
  const row = await findUploadRow(database, uploadId);
  if (!row) return 'gone';
  const entry = readUpload(row);
  const maxAttempts = ctx.options.maxAttempts ?? 10;
  const forget = failure.forget === 'ticket' ? { ticket: null } : failure.forget === 'upload' ? { uploadUrl: null, bytesSent: 0 } : {};
  // Stopped by the app (engine.stop): not the upload's fault, no backoff.
  if (signal.aborted) {
    await changeUpload(ctx, uploadId, () => ({ status: 'pending', attempts: Math.max(0, entry.attempts - 1) }));
    return 'retry';
  }
  if (failure.retryable && entry.attempts < maxAttempts) {
    const { initialMs, maxMs } = ctx.options.backoff ?? { initialMs: 2_000, maxMs: 10 * 60_000 };
    const nextAttemptAt = platform.clock.now() + backoffDelay(entry.attempts, platform.random, initialMs, maxMs);
    await changeUpload(ctx, uploadId, () => ({ status: 'pending', nextAttemptAt, error: failure.message, ...forget }));
    ctx.emit({
      type: 'uploadRetry',
      uploadId,
      entity: entry.entity,
      entityId: entry.entityId,
      field: entry.field,
      error: failure.message,
      nextAttemptAt,
    });
    return 'retry';
  }
  const message = `file '${entry.field}': upload failed: ${failure.message}`;
  const opIds = await database.write(async () => {
    const fresh = await findUploadRow(database, uploadId);
    if (!fresh) return [];
    const placeholder = uploadPlaceholder(uploadId);
    const waiting = (await fetchQueue(database, { entity: entry.entity, entityIds: [entry.entityId] })).filter(
      (q) => queueRowOf(q).status !== 'sending' && (JSON.parse(queueRowOf(q).payload) as WireRecord)[entry.field] === placeholder,
    );
    await database.batch(
      prepareUploadChange(fresh, { status: 'failed', error: failure.message, nextAttemptAt: null }, platform.clock.now()),
      ...waiting.map((q) =>
        prepareEngineUpdate(q, (r) => {
          r._setRaw('status', 'failed');
          r._setRaw('last_error', message);
        }),
      ),
    );
    return waiting.map((q) => q.id);
  }, 'trackhub-sync upload failed');
  ctx.emit({ type: 'uploadFailed', uploadId, entity: entry.entity, entityId: entry.entityId, field: entry.field, error: message, opIds });
  if (opIds.length > 0) ctx.emit({ type: 'failure', entity: entry.entity, opIds, error: message });
  return 'failed';
}

/**
 * An upload nothing refers to any more (the record deleted, or its field
 * detached or changed, and no queued payload holds the placeholder) is
 * dropped instead of uploaded; the store's own copy is released.
 */
async function dropIfOrphaned(ctx: UploaderContext, uploadId: string): Promise<boolean> {
  const { database } = ctx;
  const dropped = await database.write(async () => {
    const row = await findUploadRow(database, uploadId);
    if (!row) return null;
    const entry = readUpload(row);
    const meta = entityMeta(ctx.registry, entry.entity);
    const column = meta.fields.find((f) => f.name === entry.field)?.column;
    const placeholder = uploadPlaceholder(uploadId);
    const [record] = await database.get<Model>(meta.table).query(Q.where('id', entry.entityId)).fetch();
    if (record && column && rawOf(record)[column] === placeholder) return null;
    const queued = await fetchQueue(database, { entity: entry.entity, entityIds: [entry.entityId] });
    if (queued.some((q) => (JSON.parse(queueRowOf(q).payload) as WireRecord)[entry.field] === placeholder)) return null;
    await database.batch(row.prepareDestroyPermanently());
    return entry;
  }, 'trackhub-sync drop orphaned upload');
  if (dropped?.owned) await ctx.options.files.release(dropped.localRef).catch(() => {});
  return dropped !== null;
}

/** Change an upload row in its own writer; null when the row is gone (wiped, forced from the server). */
async function changeUpload(
  ctx: UploaderContext,
  uploadId: string,
  change: (entry: UploadEntry) => Partial<UploadEntry>,
): Promise<UploadEntry | null> {
  const { database } = ctx;
  return database.write(async () => {
    const row = await findUploadRow(database, uploadId);
    if (!row) return null;
    const entry = readUpload(row);
    const next = change(entry);
    await database.batch(prepareUploadChange(row, next, ctx.platform.clock.now()));
    return { ...entry, ...next };
  }, 'trackhub-sync upload state');
}
