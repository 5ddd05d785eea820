import type { WireRecord } from './mapping';
import type { UploadTicket } from './uploads/uploadTable';
import { NON_RETRYABLE_ERROR_CODES } from '../../protocol/index';

/** One page of `syncPull` (docs/PROTOCOL.md). */
export interface PullPage {
  items: WireRecord[];
  deletedIds: string[];
  lastSyncAt: string;
  cursor: string;
  hasMore: boolean;
  versionHash?: string | null;
}

/** One `syncPush` item (docs/PROTOCOL.md "Push"). */
export interface PushItem {
  opId: string;
  op: 'create' | 'update' | 'delete';
  clientId: string;
  id?: string;
  baseVersion?: number;
  updatedAt: string;
  data?: WireRecord;
  base?: WireRecord;
}

export interface ConflictPayload {
  serverData: WireRecord | null;
  clientData: WireRecord | null;
  serverVersion: number | null;
  resolutionSuggested: unknown;
  /** Why it conflicts (see `ConflictType`); absent from servers that do not say. */
  conflictType?: string | null;
}

/** One `SyncResultItem`, in the order of the pushed items. */
export interface PushResult {
  clientId: string | null;
  id: string | null;
  success: boolean;
  errorCode: string | null;
  errorMessage: string | null;
  version: number | null;
  updatedAt: string | null;
  conflict: ConflictPayload | null;
}

/** What the uploader asks a ticket for (`SyncUploadTicketInput`, docs/PROTOCOL.md "Media"). */
export interface UploadTicketInput {
  entity: string;
  field: string;
  /** The record's server id, or its local id (the server's `clientId`) before its create was acknowledged. */
  recordId: string;
  /** The upload row's id: asking again with it returns the same key. */
  uploadId: string;
  size: number;
  contentType: string | null;
}

/** How the engine talks to the server; `GraphqlTransport` is the stock implementation. */
export interface SyncTransport {
  pull(request: { entity: string; cursor: string | null; limit?: number }): Promise<PullPage>;
  push(request: { entity: string; items: PushItem[] }): Promise<PushResult[]>;
  /** An upload ticket (`syncUploadTicket`); needed only by apps with file fields. */
  uploadTicket?(input: UploadTicketInput): Promise<UploadTicket>;
  /** A URL to read a stored object (`syncFileUrl`), tenant-checked by the server. */
  fileUrl?(key: string): Promise<{ url: string; expiresAt?: string | null }>;
}

/** A failed request. `retryable` requests are retried with backoff; the others are parked. */
export class TransportError extends Error {
  override name = 'TransportError';
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly code: string | null = null,
    /** `BATCH_TOO_LARGE`: the most items the server takes in one push, when it says (docs/PROTOCOL.md "Push"). */
    readonly maxBatch: number | null = null,
  ) {
    super(message);
  }
}

/** The server no longer has tombstones back to our cursor: re-pull the entity from scratch. */
export class ResyncRequiredError extends TransportError {
  override name = 'ResyncRequiredError';
  constructor(readonly entity: string) {
    super(`resync required for ${entity}`, false, 'RESYNC_REQUIRED');
  }
}

/** Error codes a push item must not be retried with (docs/PROTOCOL.md, protocol/vocabulary.ts). */
export const NON_RETRYABLE_CODES: ReadonlySet<string> = new Set(NON_RETRYABLE_ERROR_CODES);
