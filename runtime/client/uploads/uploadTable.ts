import { Q, type Database, type Model } from '@nozbe/watermelondb';
import type { EntityMeta, FieldMeta } from '../meta';
import { systemRowOf } from '../rawRecord';

/** Table of the background uploader (generated as the `SyncUpload` model; README "Output layout"). */
export const UPLOAD_TABLE = 'uploads';

/**
 * What a file field holds locally while its upload is unfinished
 * (docs/PROTOCOL.md "Media"): `upload:<uploadId>`. It is never sent: the push
 * of an operation holding one waits until the upload is done and the key
 * replaced it.
 */
export const UPLOAD_PLACEHOLDER_PREFIX = 'upload:';

/** The placeholder of an upload. */
export function uploadPlaceholder(uploadId: string): string {
  return `${UPLOAD_PLACEHOLDER_PREFIX}${uploadId}`;
}

/** The upload id a placeholder names, or null for any other value (a key, null). */
export function placeholderUploadId(value: unknown): string | null {
  return typeof value === 'string' && value.startsWith(UPLOAD_PLACEHOLDER_PREFIX) ? value.slice(UPLOAD_PLACEHOLDER_PREFIX.length) : null;
}

/** The file fields of an entity. */
export function fileFields(meta: EntityMeta): FieldMeta[] {
  return meta.fields.filter((f) => f.file);
}

/**
 * `pending`: waiting (for its time, the network or the policy); `uploading`:
 * an attempt started (a run killed meanwhile leaves it so, and the next run
 * resumes it); `done`: the object is complete and its key is in the record;
 * `failed`: given up (the waiting operation is parked; `engine.retryUpload`).
 */
export type UploadStatus = 'pending' | 'uploading' | 'done' | 'failed';

/** The upload ticket as the server issued it (MEDIA contract `SyncUploadTicket`). */
export interface UploadTicket {
  key: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  expiresAt?: string | null;
}

/** One upload, as the inspection API lists and exports it. */
export interface UploadEntry {
  /** Upload id (UUID v7): the idempotency key of the ticket. */
  id: string;
  entity: string;
  /** Local id of the record. */
  entityId: string;
  field: string;
  /** Where the file is on this device (a path, `idb:<id>`, a URI: see the FileStore). */
  localRef: string;
  /** The store made a copy (bytes or a Blob were attached); released after the upload. */
  owned: boolean;
  size: number;
  contentType: string | null;
  status: UploadStatus;
  attempts: number;
  /** Bytes the server acknowledged (tus offset; a PUT counts at its end). */
  bytesSent: number;
  /** The object key (from the ticket; final once `done`). */
  key: string | null;
  /** The resumable upload's URL (tus), kept so a restart resumes it. */
  uploadUrl: string | null;
  ticket: UploadTicket | null;
  nextAttemptAt: number | null;
  error: string | null;
  createdAt: number;
  updatedAt: number;
}

/** Raw columns of an `uploads` row. Everything the table has no column for travels in `meta` (JSON). */
interface UploadRow {
  id: string;
  local_path: string;
  remote_url: string | null;
  status: UploadStatus;
  attempts: number;
  meta: string | null;
  entity: string | null;
  entity_id: string | null;
  created_at: number;
  updated_at: number;
}

/** The part of an entry kept in the `meta` column. */
type UploadMetaColumn = Pick<
  UploadEntry,
  'field' | 'owned' | 'size' | 'contentType' | 'bytesSent' | 'key' | 'uploadUrl' | 'ticket' | 'nextAttemptAt' | 'error'
>;

/** Column values of an upload row as a typed entry. */
export function readUpload(row: Model): UploadEntry {
  const raw = systemRowOf<UploadRow>(row);
  const meta = JSON.parse(raw.meta ?? '{}') as Partial<UploadMetaColumn>;
  return {
    id: row.id,
    entity: raw.entity ?? '',
    entityId: raw.entity_id ?? '',
    field: meta.field ?? '',
    localRef: raw.local_path,
    owned: meta.owned ?? false,
    size: meta.size ?? 0,
    contentType: meta.contentType ?? null,
    status: raw.status,
    attempts: raw.attempts,
    bytesSent: meta.bytesSent ?? 0,
    key: meta.key ?? raw.remote_url ?? null,
    uploadUrl: meta.uploadUrl ?? null,
    ticket: meta.ticket ?? null,
    nextAttemptAt: meta.nextAttemptAt ?? null,
    error: meta.error ?? null,
    createdAt: raw.created_at,
    updatedAt: raw.updated_at,
  };
}

/** The columns of an entry (`remote_url` holds the key once the upload is done). */
function columnsOf(entry: UploadEntry): Omit<UploadRow, 'id'> {
  const meta: UploadMetaColumn = {
    field: entry.field,
    owned: entry.owned,
    size: entry.size,
    contentType: entry.contentType,
    bytesSent: entry.bytesSent,
    key: entry.key,
    uploadUrl: entry.uploadUrl,
    ticket: entry.ticket,
    nextAttemptAt: entry.nextAttemptAt,
    error: entry.error,
  };
  return {
    local_path: entry.localRef,
    remote_url: entry.status === 'done' ? entry.key : null,
    status: entry.status,
    attempts: entry.attempts,
    meta: JSON.stringify(meta),
    entity: entry.entity,
    entity_id: entry.entityId,
    created_at: entry.createdAt,
    updated_at: entry.updatedAt,
  };
}

/** A new upload row, prepared for the same batch as the record change that references it. */
export function prepareUploadRow(database: Database, entry: UploadEntry): Model {
  return database.get<Model>(UPLOAD_TABLE).prepareCreateFromDirtyRaw({ id: entry.id, ...columnsOf(entry) });
}

/** An update of an upload row: `change` gets the current entry and returns the fields to change. */
export function prepareUploadChange(row: Model, change: Partial<UploadEntry>, now: number): Model {
  const next = { ...readUpload(row), ...change, updatedAt: now };
  const columns = columnsOf(next);
  return row.prepareUpdate((r) => {
    for (const [column, value] of Object.entries(columns)) r._setRaw(column, value);
  });
}

/** Upload rows, oldest first (optionally only these statuses). */
export async function fetchUploads(database: Database, statuses?: UploadStatus[]): Promise<Model[]> {
  const rows = await database
    .get<Model>(UPLOAD_TABLE)
    .query(...(statuses ? [Q.where('status', Q.oneOf(statuses))] : []))
    .fetch();
  return rows.sort((a, b) => readUpload(a).createdAt - readUpload(b).createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Every upload, oldest first (optionally only these statuses). */
export async function listUploads(database: Database, statuses?: UploadStatus[]): Promise<UploadEntry[]> {
  return (await fetchUploads(database, statuses)).map(readUpload);
}

/** The upload row with this id, or null. */
export async function findUploadRow(database: Database, uploadId: string): Promise<Model | null> {
  const [row] = await database.get<Model>(UPLOAD_TABLE).query(Q.where('id', uploadId)).fetch();
  return row ?? null;
}
