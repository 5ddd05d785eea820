import type { SyncAuth } from '../types';

/** RFC 9562 textual UUID (any version), lower or upper case. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a textual UUID, the shape of an `uploadId`. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/**
 * The key of an upload: `t/<tenant>/<uploadId>` with the tenant URI-encoded
 * (docs/PROTOCOL.md "Media"). Derived, not stored: the same tenant and upload
 * always get the same key, another tenant never gets it.
 */
export function uploadKey(tenantId: string, uploadId: string): string {
  if (!isUuid(uploadId)) throw new Error(`trackhub-sync: uploadId '${uploadId}' is not a UUID`);
  return `t/${encodeURIComponent(tenantId)}/${uploadId.toLowerCase()}`;
}

/** The tenant and upload of a key `uploadKey` made, or null for anything else. */
export function parseUploadKey(key: string): { tenantId: string; uploadId: string } | null {
  const match = /^t\/([^/]+)\/([^/]+)$/.exec(key);
  if (!match || !isUuid(match[2]!) || match[2] !== match[2]!.toLowerCase()) return null;
  let tenantId: string;
  try {
    tenantId = decodeURIComponent(match[1]!);
  } catch {
    return null;
  }
  // One spelling per tenant: a differently encoded copy of the prefix is not the tenant's key.
  return encodeURIComponent(tenantId) === match[1] ? { tenantId, uploadId: match[2]! } : null;
}

/** True when `key` is a key `uploadKey` made for the caller's tenant. */
export function ownsUploadKey(auth: SyncAuth, key: string): boolean {
  return parseUploadKey(key)?.tenantId === auth.tenantId;
}
