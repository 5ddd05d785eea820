import type { Upload } from 'tus-js-client';
import { MissingFileError } from './fileStore';
import { UploadError, uploadErrorOf, type UploadTransport } from './uploadTransport';

type UploadOptions = NonNullable<ConstructorParameters<typeof Upload>[1]>;
type UrlStorage = NonNullable<UploadOptions['urlStorage']>;

/** `tus-js-client` as the app imports it (an optional peer dependency: `import * as tus from 'tus-js-client'`). */
export interface TusClient {
  Upload: typeof Upload;
}

export interface TusUploadOptions {
  /**
   * Bytes per PATCH request. Default 5 MiB. What the server acknowledged is
   * never sent again: a dropped connection loses at most the unacknowledged
   * part of one request (@tus/server keeps what it received).
   */
  chunkSize?: number;
}

/**
 * Upload with the tus resumable protocol through `tus-js-client`. The upload
 * URL the creation request returns is recorded durably (`onUploadUrl`) before
 * the first byte leaves; every later attempt, also after a process kill,
 * resumes it: a HEAD asks the server's offset and only the rest is sent.
 * Retries belong to the engine (backoff, policy), so tus-js-client's own are off.
 */
export function tusUploadTransport(tus: TusClient, options: TusUploadOptions = {}): UploadTransport {
  return {
    method: 'tus',
    async upload(request) {
      let input: unknown;
      try {
        input = await request.files.tusInput(request.ref);
      } catch (error) {
        throw new UploadError((error as Error).message, !(error instanceof MissingFileError));
      }
      await new Promise<void>((resolve, reject) => {
        // The durable record of the upload URL: tus-js-client awaits addUpload before its first PATCH.
        const urlStorage: UrlStorage = {
          findAllUploads: async () => [],
          findUploadsByFingerprint: async () => [],
          removeUpload: async () => {},
          addUpload: async (_fingerprint, stored) => {
            if (stored.uploadUrl) await request.onUploadUrl(stored.uploadUrl);
            return request.uploadId;
          },
        };
        const settings: UploadOptions = {
          endpoint: request.ticket.url,
          uploadUrl: request.resumeUrl,
          headers: request.ticket.headers,
          uploadSize: request.size,
          chunkSize: options.chunkSize ?? 5 * 1024 * 1024,
          retryDelays: null,
          metadata: { uploadId: request.uploadId, ...(request.contentType ? { filetype: request.contentType } : {}) },
          storeFingerprintForResuming: true,
          removeFingerprintOnSuccess: false,
          fingerprint: async () => `trackhub-sync:${request.uploadId}`,
          urlStorage,
          onProgress: (sent) => request.onProgress(sent),
          onChunkComplete: (_chunk, accepted) => request.onAcknowledged(accepted),
          onSuccess: () => resolve(),
          onError: (error) => {
            const status = (error as { originalResponse?: { getStatus(): number } | null }).originalResponse?.getStatus() ?? null;
            reject(status ? uploadErrorOf(status, `tus: ${error.message}`) : new UploadError(`tus: ${error.message}`, true));
          },
        };
        const upload = new tus.Upload(input as ConstructorParameters<typeof Upload>[0], settings);
        const abort = () => {
          void upload.abort();
          reject(new UploadError('tus: aborted', true));
        };
        if (request.signal.aborted) return abort();
        request.signal.addEventListener('abort', abort, { once: true });
        upload.start();
      });
    },
  };
}
