import type { ConflictPayload, SyncErrorCode, SyncResultItem } from '../types';

/** A failed item result (nothing written for it). */
export function failure(
  clientId: string | null,
  id: string | null,
  code: SyncErrorCode,
  message: string,
  conflict: ConflictPayload | null = null,
): SyncResultItem {
  return { clientId, id, success: false, errorCode: code, errorMessage: message, version: null, updatedAt: null, conflict };
}

/** A successful item result: the server's id, version and updatedAt. */
export function success(clientId: string | null, id: string, version: number, updatedAt: string | null): SyncResultItem {
  return { clientId, id, success: true, errorCode: null, errorMessage: null, version, updatedAt, conflict: null };
}
