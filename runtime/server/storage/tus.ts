import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { FileStore } from '@tus/file-store';
import { type DataStore, Server, type ServerOptions, type Upload } from '@tus/server';
import type { SyncAuth } from '../types';
import { isUuid, ownsUploadKey, parseUploadKey, uploadKey } from './keys';
import { Signer } from './signature';
import type { SyncStorage, SyncUploadRequest } from './types';

/** The header carrying the upload token of a ticket; tus clients send ticket headers with every request. */
export const UPLOAD_TOKEN_HEADER = 'X-Upload-Token';

export interface TusStorageOptions {
  /** Folder of a `@tus/file-store` FileStore (created when missing). Give this or `store`. */
  directory?: string;
  /** Any tus `DataStore` (S3Store, GCSStore, ...) instead of `directory`. */
  store?: DataStore;
  /** Public URL of the tus endpoint as clients reach it (`https://api.example.com/files`): the ticket's url. */
  endpointUrl: string;
  /** Route the tus server answers; default: the path of `endpointUrl`. */
  path?: string;
  /** HMAC secret of upload tokens and read URLs, at least 32 bytes; keep it on the server. */
  secret: string | Uint8Array;
  /** Lifetime of an upload token in seconds; the client asks again after it. Default 86400. */
  ticketTtlSeconds?: number;
  /** Lifetime of a read URL in seconds. Default 900. */
  readTtlSeconds?: number;
  /** More `@tus/server` options (CORS origins, locker, events); the ones this storage sets are kept. */
  server?: Partial<Omit<ServerOptions, 'path' | 'namingFunction' | 'onIncomingRequest' | 'onUploadCreate' | 'getFileIdFromRequest' | 'generateUrl'>>;
  /** Clock, for tests. Default `() => new Date()`. */
  now?: () => Date;
}

/** A `SyncStorage` that also serves the tus endpoint and the signed reads. */
export interface TusStorage extends SyncStorage {
  /** The `@tus/server` instance (events: `server.on(EVENTS.POST_FINISH, ...)`). */
  server: Server;
  /** Node `http` handler for everything under `path`: tus uploads and signed GET reads. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** The same for fetch-style servers. */
  handleWeb(req: Request): Promise<Response>;
}

interface TokenPayload {
  /** Key the token may upload. */
  k: string;
  /** Declared size in bytes: the upload may not be longer. */
  s: number;
  /** Expiry, Unix seconds. */
  e: number;
  /** Declared media type. */
  c?: string;
}

/** A tus error answer (`@tus/server` sends `status_code` and `body` of a thrown object). */
const refuse = (status_code: number, body: string) => ({ status_code, body: `${body}\n` });

/** `t/<tenant>/<uuid>` -> `<base64url tenant>.<uuid>`: one path segment a FileStore can name a file by. */
function fileIdOf(key: string): string | null {
  const parsed = parseUploadKey(key);
  return parsed ? `${Buffer.from(parsed.tenantId, 'utf8').toString('base64url')}.${parsed.uploadId}` : null;
}

const FILE_ID = /^([A-Za-z0-9_-]+)\.([0-9a-f-]{36})$/;

/** The inverse of `fileIdOf`, or null. */
function keyOf(fileId: string): string | null {
  const match = FILE_ID.exec(fileId);
  if (!match || !isUuid(match[2]!)) return null;
  const key = uploadKey(Buffer.from(match[1]!, 'base64url').toString('utf8'), match[2]!);
  return fileIdOf(key) === fileId ? key : null;
}

/**
 * A `SyncStorage` on a real tus server (`@tus/server`, README "Media"). A
 * ticket carries an HMAC token bound to its key and size; the tus server's
 * `onIncomingRequest` checks it on every request, so one tenant's token
 * cannot create, resume, read or delete another tenant's upload. Keys are
 * `t/<tenant>/<uploadId>`; an object exists once its upload is complete
 * (offset == length). Reads are signed GET URLs served by the same handler.
 *
 * Needs the optional peer dependencies `@tus/server` and `@tus/file-store`.
 */
export function tusStorage(options: TusStorageOptions): TusStorage {
  if (!options.store === !options.directory) throw new Error('trackhub-sync: tusStorage needs exactly one of `directory` and `store`');
  const signer = new Signer(options.secret);
  const endpoint = options.endpointUrl.replace(/\/+$/, '');
  const path = options.path ?? new URL(endpoint).pathname;
  const ticketTtl = options.ticketTtlSeconds ?? 86_400;
  const readTtl = options.readTtlSeconds ?? 900;
  const now = options.now ?? (() => new Date());
  const nowSeconds = () => Math.floor(now().getTime() / 1000);
  const store: DataStore = webReads(options.store ?? new FileStore({ directory: options.directory! }));

  const tokenOf = (req: Request): TokenPayload | null => {
    const token = req.headers.get(UPLOAD_TOKEN_HEADER);
    const payload = token ? signer.verify<TokenPayload>(token) : null;
    return payload && typeof payload.k === 'string' && typeof payload.e === 'number' && payload.e > nowSeconds() ? payload : null;
  };
  const readMac = (fileId: string, expires: string) => `read\n${fileId}\n${expires}`;

  const server = new Server({
    maxSize: 2 ** 31 - 1,
    ...options.server,
    path,
    datastore: store,
    allowedHeaders: [...(options.server?.allowedHeaders ?? []), UPLOAD_TOKEN_HEADER],
    // A finished key is referenced by records: never terminated (and never re-created, see onIncomingRequest).
    disableTerminationForFinishedUploads: true,
    // The public URL, also behind a proxy that rewrites the host.
    generateUrl: (_req, { id }) => `${endpoint}/${id}`,
    getFileIdFromRequest: (req) => {
      const last = new URL(req.url).pathname.split('/').pop() ?? '';
      return keyOf(last) ? last : undefined;
    },
    namingFunction: (req) => {
      const payload = tokenOf(req);
      const id = payload ? fileIdOf(payload.k) : null;
      if (!id) throw refuse(403, 'upload token missing, expired or invalid');
      return id;
    },
    onIncomingRequest: async (req, id) => {
      if (req.method === 'GET') {
        const url = new URL(req.url);
        const expires = url.searchParams.get('expires') ?? '';
        const signature = url.searchParams.get('signature') ?? '';
        if (!/^\d+$/.test(expires) || Number(expires) <= nowSeconds() || !signer.verifyMac(readMac(id, expires), signature)) {
          throw refuse(403, 'read URL missing, expired or invalid');
        }
        return;
      }
      const payload = tokenOf(req);
      if (!payload || fileIdOf(payload.k) !== id) throw refuse(403, 'upload token missing, expired or not for this upload');
      if (req.method === 'POST' && (await uploadState(store, id)) === 'complete') throw refuse(409, 'this upload is already complete');
    },
    onUploadCreate: async (req, upload: Upload) => {
      const payload = tokenOf(req)!;
      if (upload.size === undefined || upload.size > payload.s) {
        throw refuse(413, `the ticket allows ${payload.s} bytes; send Upload-Length up to that`);
      }
      return { metadata: { ...upload.metadata, ...(payload.c ? { filetype: payload.c } : {}) } };
    },
  });

  return {
    server,
    handle: (req, res) => server.handle(req, res),
    handleWeb: (req) => server.handleWeb(req),
    async ticket(auth: SyncAuth, req: SyncUploadRequest) {
      const key = uploadKey(auth.tenantId, req.uploadId);
      const expires = nowSeconds() + ticketTtl;
      const payload: TokenPayload = { k: key, s: req.size, e: expires, ...(req.contentType ? { c: req.contentType } : {}) };
      return {
        key,
        method: 'tus',
        url: endpoint,
        headers: { [UPLOAD_TOKEN_HEADER]: signer.sign(payload) },
        expiresAt: new Date(expires * 1000).toISOString(),
      };
    },
    owns: ownsUploadKey,
    async exists(key) {
      const id = fileIdOf(key);
      return id !== null && (await uploadState(store, id)) === 'complete';
    },
    async readUrl(auth, key) {
      const id = fileIdOf(key);
      if (!id || !ownsUploadKey(auth, key)) throw new Error('trackhub-sync: readUrl for a key of another tenant');
      const expires = String(nowSeconds() + readTtl);
      return {
        url: `${endpoint}/${id}?expires=${expires}&signature=${signer.mac(readMac(id, expires))}`,
        expiresAt: new Date(Number(expires) * 1000).toISOString(),
      };
    },
  };
}

/** `missing`, `partial` or `complete`; other store errors propagate (a push is then retried, not refused). */
async function uploadState(store: DataStore, id: string): Promise<'missing' | 'partial' | 'complete'> {
  let upload: Upload;
  try {
    upload = await store.getUpload(id);
  } catch (error) {
    if ((error as { status_code?: number }).status_code === 404) return 'missing';
    throw error;
  }
  return upload.size !== undefined && upload.offset === upload.size ? 'complete' : 'partial';
}

/**
 * `store` whose `read` (the signed GET reads) returns a web `ReadableStream`.
 * @tus/server wraps what `read` returns in a `Response`; given a Node stream,
 * the `Response` of Node 20's bundled undici closes its body in a microtask
 * after the last chunk, and when the client has closed the connection first
 * (all Content-Length bytes received) srvx has already cancelled that body:
 * the close throws `ERR_INVALID_STATE` as an uncaught exception, which ends
 * a Node server. A web stream is used as it is, and cancelling it destroys
 * the file stream.
 */
function webReads(store: DataStore): DataStore {
  const read = (store as { read?: (id: string) => unknown }).read;
  if (typeof read !== 'function') return store;
  return new Proxy(store, {
    get(target, property) {
      if (property === 'read') {
        return async (id: string) => {
          const stream = await read.call(target, id);
          return stream instanceof Readable ? Readable.toWeb(stream) : stream;
        };
      }
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
