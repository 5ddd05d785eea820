import type { SyncAuth } from '../types';

/** What a client asks an upload ticket for (`syncUploadTicket`, docs/PROTOCOL.md "Media"). */
export interface SyncUploadRequest {
  /** Entity name as in `syncPull` / `syncPush`. */
  entity: string;
  /** The `@sync.file` field. */
  field: string;
  recordId: string;
  /** Client-generated UUID of the upload: the idempotency key of the ticket. */
  uploadId: string;
  /** Size in bytes, already checked against the field's `maxBytes`. */
  size: number;
  /** Media type, already checked against the field's `accept`. */
  contentType?: string;
}

/** Where and how to upload one object. */
export interface SyncUploadTicket {
  /** The value the file field takes once the upload has finished; starts with the tenant's prefix. */
  key: string;
  /** `tus`: a tus 1.0 creation endpoint; `put`: one HTTP PUT of the whole body. */
  method: 'tus' | 'put';
  /** tus: the creation endpoint; put: the presigned URL. */
  url: string;
  /** Headers to send with every request of this upload (e.g. an upload token). */
  headers: Record<string, string>;
  /** ISO instant after which the client asks again (same `uploadId`, same key). */
  expiresAt?: string;
}

/** A URL to read a stored object. */
export interface SyncFileUrl {
  url: string;
  expiresAt?: string;
}

/**
 * Where the objects of file fields live (docs/PROTOCOL.md "Media"). Shipped:
 * `tusStorage` (`trackhub-sync/runtime/server/tus`) and `presignedStorage`
 * (S3-compatible stores, the app signs). An app may implement its own.
 */
export interface SyncStorage {
  /** A ticket for one upload. The same tenant and `uploadId` must always give the same key. */
  ticket(auth: SyncAuth, req: SyncUploadRequest): Promise<SyncUploadTicket>;
  /** True when `key` was issued to this tenant (a pure check on the key). */
  owns(auth: SyncAuth, key: string): boolean;
  /** True when the object exists and is complete. */
  exists(key: string): Promise<boolean>;
  /** A URL to read the object; called only for keys the caller `owns`. */
  readUrl(auth: SyncAuth, key: string): Promise<SyncFileUrl>;
}

/** `SyncUploadTicketInput` of the generated SDL. */
export interface SyncUploadTicketInput {
  entity: string;
  field: string;
  recordId: string;
  uploadId: string;
  size: number;
  contentType?: string | null;
}

/** `SyncUploadTicket` of the generated SDL: headers as a list of name/value pairs. */
export interface SyncUploadTicketResponse {
  key: string;
  method: 'tus' | 'put';
  url: string;
  headers: { name: string; value: string }[];
  expiresAt: string | null;
}
