import type { SyncAuth } from '../types';
import { ownsUploadKey, uploadKey } from './keys';
import type { SyncStorage, SyncUploadRequest } from './types';

/** What `sign` is asked for: one URL for one method on one object. */
export interface PresignRequest {
  /** `PUT` for an upload ticket, `GET` for a read URL. */
  method: 'PUT' | 'GET';
  /** The object key (`t/<tenant>/<uploadId>`); use it as the object name in the bucket. */
  key: string;
  /** Seconds the URL stays valid. */
  expiresInSeconds: number;
  /** PUT: the declared media type, to bind into the signature when the store supports it. */
  contentType?: string;
  /** PUT: the declared size in bytes, to bind into the signature when the store supports it. */
  size?: number;
}

/** A signed URL and the headers the request must carry (those the signature covers). */
export interface PresignedUrl {
  url: string;
  headers?: Record<string, string>;
}

export interface PresignedStorageOptions {
  /**
   * Sign a URL (the app's S3 / R2 / GCS signer, e.g. `getSignedUrl` of
   * `@aws-sdk/s3-request-presigner` with a `PutObjectCommand` / `GetObjectCommand`).
   */
  sign(req: PresignRequest): Promise<PresignedUrl>;
  /**
   * The object's size, or null when there is none (e.g. `HeadObject`, null on
   * 404). A PUT stores the whole body or nothing, so a present object is complete.
   */
  head(key: string): Promise<{ size: number } | null>;
  /** Lifetime of upload URLs in seconds. Default 3600. */
  uploadExpiresInSeconds?: number;
  /** Lifetime of read URLs in seconds. Default 900. */
  readExpiresInSeconds?: number;
  /** Clock, for tests. Default `() => new Date()`. */
  now?: () => Date;
}

/**
 * A `SyncStorage` over an S3-compatible object store with presigned URLs
 * (README "Media"): tickets are a presigned PUT of `t/<tenant>/<uploadId>`,
 * reads a presigned GET. The app supplies the signer; this module holds no
 * credentials and needs no SDK.
 */
export function presignedStorage(options: PresignedStorageOptions): SyncStorage {
  const uploadTtl = options.uploadExpiresInSeconds ?? 3600;
  const readTtl = options.readExpiresInSeconds ?? 900;
  const now = options.now ?? (() => new Date());
  const expiry = (seconds: number) => new Date(now().getTime() + seconds * 1000).toISOString();
  return {
    async ticket(auth: SyncAuth, req: SyncUploadRequest) {
      const key = uploadKey(auth.tenantId, req.uploadId);
      const signed = await options.sign({
        method: 'PUT',
        key,
        expiresInSeconds: uploadTtl,
        size: req.size,
        ...(req.contentType !== undefined ? { contentType: req.contentType } : {}),
      });
      return { key, method: 'put', url: signed.url, headers: { ...signed.headers }, expiresAt: expiry(uploadTtl) };
    },
    owns: ownsUploadKey,
    async exists(key) {
      return (await options.head(key)) !== null;
    },
    async readUrl(_auth, key) {
      const signed = await options.sign({ method: 'GET', key, expiresInSeconds: readTtl });
      return { url: signed.url, expiresAt: expiry(readTtl) };
    },
  };
}
