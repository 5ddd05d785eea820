import type { FileStore } from './fileStore';
import type { UploadTicket } from './uploadTable';

/** One attempt of one upload, as the uploader hands it to an `UploadTransport`. */
export interface UploadRequest {
  uploadId: string;
  ticket: UploadTicket;
  size: number;
  contentType: string | null;
  files: FileStore;
  /** The row's `local_path`. */
  ref: string;
  /** The resumable upload a previous attempt created (tus), or null. */
  resumeUrl: string | null;
  /**
   * Record the resumable upload's URL durably; the transport awaits it before
   * sending any byte (docs/PROTOCOL.md "Crash safety"), so a killed process
   * resumes that upload instead of starting another.
   */
  onUploadUrl(url: string): Promise<void>;
  /** Bytes handed to the network so far (UI progress). */
  onProgress(bytesSent: number): void;
  /** Bytes the server acknowledged (tus `Upload-Offset`). */
  onAcknowledged(offset: number): void;
  signal: AbortSignal;
}

/**
 * How bytes reach storage, chosen by `ticket.method`: `tusUploadTransport`
 * (resumable) and `putUploadTransport` (a presigned URL, one request).
 */
export interface UploadTransport {
  /** The ticket method it serves (`tus`, `put`). */
  readonly method: string;
  /** Resolves when the object is complete; rejects with an `UploadError` (other errors count as retryable). */
  upload(request: UploadRequest): Promise<void>;
}

/** A failed attempt. Retryable ones are tried again with backoff; the others fail the upload. */
export class UploadError extends Error {
  override name = 'UploadError';
  constructor(
    message: string,
    readonly retryable: boolean,
    /** HTTP status of the refusing response, if any. */
    readonly status: number | null = null,
    /** What to forget before the next attempt: the ticket (expired, refused) or the resumable upload (gone). */
    readonly forget: 'ticket' | 'upload' | null = null,
  ) {
    super(message);
  }
}

/**
 * How an HTTP status from storage is handled: 401/403 mean the ticket's
 * headers or URL expired (ask a new ticket), 404/410 that the resumable
 * upload is gone (start a new one), 408/409/423/429 and 5xx are transient,
 * any other 4xx is final (e.g. 413 too large).
 */
export function uploadErrorOf(status: number, message: string): UploadError {
  if (status === 401 || status === 403) return new UploadError(message, true, status, 'ticket');
  if (status === 404 || status === 410) return new UploadError(message, true, status, 'upload');
  if (status >= 500 || [408, 409, 423, 429].includes(status)) return new UploadError(message, true, status);
  return new UploadError(message, false, status);
}

/**
 * Upload with one `PUT` of the whole file to a presigned URL (S3-compatible
 * storage). Not resumable: an interrupted PUT starts again from byte 0, and
 * progress moves only at the end (fetch reports no upload progress).
 */
export function putUploadTransport(options: { fetch?: typeof fetch } = {}): UploadTransport {
  return {
    method: 'put',
    async upload(request) {
      const doFetch = options.fetch ?? fetch;
      const body = await request.files.blob(request.ref);
      const headers: Record<string, string> = { ...request.ticket.headers };
      if (request.contentType && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = request.contentType;
      let response: Response;
      try {
        response = await doFetch(request.ticket.url, { method: 'PUT', headers, body, signal: request.signal });
      } catch (error) {
        throw new UploadError(`put: ${(error as Error).message}`, true);
      }
      await response.body?.cancel();
      if (response.status < 200 || response.status >= 300) throw uploadErrorOf(response.status, `put: HTTP ${response.status}`);
      request.onProgress(request.size);
      request.onAcknowledged(request.size);
    },
  };
}
