/**
 * Storage for the media tests: a real `@tus/server` + `@tus/file-store` on
 * loopback, a TCP proxy in front of it that counts the bytes the client sends
 * and can cut connections, a small real HTTP PUT store for presigned URLs,
 * and `withTickets`: a stand-in for the server half's `syncUploadTicket`
 * (kept here, in one place, so it is swapped for the generated mutation once
 * both halves are merged).
 */
import { readdirSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import { type AddressInfo, type Socket, createServer as createTcpServer } from 'node:net';
import { FileStore as TusFileStore } from '@tus/file-store';
import { Server as TusServer } from '@tus/server';
import type { Database, Model } from '@nozbe/watermelondb';
import * as tus from 'tus-js-client';
import {
  SyncEngine,
  WritableSyncAdapter,
  defineRegistry,
  entityMeta,
  putUploadTransport,
  tusUploadTransport,
  type FileStore,
  type Platform,
  type SyncTransport,
  type UploadEntry,
  type UploadOptions,
  type UploadTicket,
  type UploadTicketInput,
} from '../../../runtime/client/index';
import { nodeFileStore } from '../../../runtime/client/node/index';
import { openExampleDatabase, registry } from './device';

/** The key the stand-in issues: opaque to the client, the same for the same upload id (MEDIA contract). */
export function stubKey(tenant: string, uploadId: string): string {
  return `t-${tenant}-${uploadId}`;
}

/** The token a ticket carries; the tus server refuses requests without it. */
const tokenOf = (key: string) => `upload-token-${key}`;

/** A ticket as the server half would issue it: tus creation endpoint or presigned PUT URL, headers, key. */
export function stubTicket(storage: { tusUrl?: string; putUrl?: string }, tenant: string, input: UploadTicketInput): UploadTicket {
  const key = stubKey(tenant, input.uploadId);
  if (storage.putUrl) return { key, method: 'put', url: `${storage.putUrl}/${key}?sig=${tokenOf(key)}`, headers: {} };
  return { key, method: 'tus', url: storage.tusUrl!, headers: { authorization: `Bearer ${tokenOf(key)}` } };
}

/** `inner` plus `uploadTicket` from the stand-in (every ticket asked is recorded). */
export function withTickets(
  inner: SyncTransport,
  storage: { tusUrl?: string; putUrl?: string },
  tenant: string,
  refuse?: (input: UploadTicketInput) => Error | null,
): SyncTransport & { tickets: UploadTicketInput[] } {
  const tickets: UploadTicketInput[] = [];
  return {
    tickets,
    pull: (request) => inner.pull(request),
    push: (request) => inner.push(request),
    async uploadTicket(input) {
      tickets.push(input);
      const refusal = refuse?.(input);
      if (refusal) throw refusal;
      return stubTicket(storage, tenant, input);
    },
  };
}

export interface TusTestServer {
  /** Creation endpoint (direct, no proxy). */
  url: string;
  store: TusFileStore;
  dir: string;
  /** True when the object `key` exists and is complete. */
  exists(key: string): Promise<boolean>;
  /** Upload ids the store holds (one file each). */
  objects(): string[];
  close(): Promise<void>;
}

/** A real tus server on 127.0.0.1 storing files in `dir`; upload ids are the ticket keys. */
export async function startTusServer(dir: string): Promise<TusTestServer> {
  const store = new TusFileStore({ directory: dir });
  const tus = new TusServer({
    path: '/files',
    datastore: store,
    // The ticket's key names the object, so asking again for the same upload id reaches the same file.
    namingFunction: (req) => {
      const auth = req.headers.get('authorization') ?? '';
      return auth.replace(/^Bearer upload-token-/, '');
    },
    onIncomingRequest: async (req, uploadId) => {
      if (req.headers.get('authorization') !== `Bearer ${tokenOf(uploadId)}`) throw { status_code: 401, body: 'bad upload token\n' };
    },
  });
  const http = createServer((req, res) => void tus.handle(req, res));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const port = (http.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/files`,
    store,
    dir,
    async exists(key) {
      try {
        const upload = await store.getUpload(key);
        return upload.size !== undefined && upload.offset === upload.size;
      } catch {
        return false;
      }
    },
    objects: () => readdirSync(dir).filter((f) => !f.endsWith('.json')),
    close: () => closeHttp(http),
  };
}

export interface CuttingProxy {
  /** The proxy's address as `http://127.0.0.1:<port>`. */
  origin: string;
  /** Bytes forwarded from clients to the server (request lines, headers and bodies). */
  bytesUp: number;
  /** Connections cut so far. */
  cuts: number;
  /** Every request seen, in order: method, tus `Upload-Offset`, body bytes forwarded, whether it was cut. */
  requests: ProxiedRequest[];
  /** Cut the connection carrying the `atByte`-th byte counted from now (one-shot). */
  cutAfter(bytes: number): void;
  close(): Promise<void>;
}

export interface ProxiedRequest {
  method: string;
  /** The request's `Upload-Offset` header (tus PATCH), else null. */
  uploadOffset: number | null;
  /** Body bytes forwarded to the server (fewer than `Content-Length` when cut). */
  body: number;
  cut: boolean;
}

/** Follows HTTP/1.1 requests in one connection's client bytes (Content-Length bodies), recording each. */
function requestReader(log: ProxiedRequest[]): { read(data: Buffer): void; cut(): void } {
  let head = Buffer.alloc(0);
  let current: ProxiedRequest | null = null;
  let bodyLeft = 0;
  const read = (data: Buffer): void => {
    if (data.length === 0) return;
    if (current && bodyLeft > 0) {
      const n = Math.min(bodyLeft, data.length);
      current.body += n;
      bodyLeft -= n;
      read(data.subarray(n));
      return;
    }
    head = Buffer.concat([head, data]);
    const end = head.indexOf('\r\n\r\n');
    if (end < 0) return;
    const text = head.subarray(0, end).toString('latin1');
    const rest = head.subarray(end + 4);
    head = Buffer.alloc(0);
    const header = (name: string) => new RegExp(`\\r\\n${name}:\\s*(\\d+)`, 'i').exec(text)?.[1];
    const offset = header('upload-offset');
    current = { method: text.slice(0, text.indexOf(' ')), uploadOffset: offset === undefined ? null : Number(offset), body: 0, cut: false };
    log.push(current);
    bodyLeft = Number(header('content-length') ?? 0);
    read(rest);
  };
  return {
    read,
    cut() {
      if (current) current.cut = true;
    },
  };
}

/** A TCP proxy to `target` that counts client bytes and drops a connection mid-stream on request. */
export async function startCuttingProxy(target: { host: string; port: number }): Promise<CuttingProxy> {
  const sockets = new Set<Socket>();
  let cutBudget: number | null = null;
  const proxy: CuttingProxy = {
    origin: '',
    bytesUp: 0,
    cuts: 0,
    requests: [],
    cutAfter(bytes) {
      cutBudget = bytes;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  const { createConnection } = await import('node:net');
  const server = createTcpServer((client) => {
    const upstream = createConnection(target);
    sockets.add(client).add(upstream);
    const reader = requestReader(proxy.requests);
    const cut = () => {
      proxy.cuts += 1;
      reader.cut();
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (chunk: Buffer) => {
      let data = chunk;
      if (cutBudget !== null && data.length >= cutBudget) {
        data = data.subarray(0, cutBudget);
        cutBudget = null;
        proxy.bytesUp += data.length;
        reader.read(data);
        upstream.write(data, () => cut());
        return;
      }
      if (cutBudget !== null) cutBudget -= data.length;
      proxy.bytesUp += data.length;
      reader.read(data);
      upstream.write(data);
    });
    upstream.on('data', (chunk) => client.write(chunk));
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}

export interface PutTestServer {
  /** Base of the presigned URLs: `<url>/<key>?sig=…`. */
  url: string;
  objects: Map<string, Buffer>;
  /** Answer the next PUTs with this status instead (e.g. 403 for an expired signature). */
  refuseNext: number[];
  requests: number;
  close(): Promise<void>;
}

/** A small real HTTP store taking presigned PUTs (the signature is checked against the key). */
export async function startPutServer(): Promise<PutTestServer> {
  const state: PutTestServer = { url: '', objects: new Map(), refuseNext: [], requests: 0, close: async () => {} };
  const http = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const key = decodeURIComponent(url.pathname.replace(/^\/objects\//, ''));
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      state.requests += 1;
      const refusal = state.refuseNext.shift();
      if (req.method !== 'PUT' || url.searchParams.get('sig') !== tokenOf(key) || refusal) {
        res.writeHead(refusal ?? 403).end();
        return;
      }
      state.objects.set(key, Buffer.concat(chunks));
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/objects`;
  state.close = () => closeHttp(http);
  return state;
}

function closeHttp(http: HttpServer): Promise<void> {
  return new Promise((resolve) => {
    http.closeAllConnections();
    http.close(() => resolve());
  });
}

/** The example registry with `Task.createdBy` as a file field (stands in for a generated `@sync.file` field). */
export const FILE_FIELD = 'createdBy';
export const mediaRegistry = defineRegistry({
  entities: registry.entities.map((e) =>
    e.name === 'Task'
      ? {
          ...e,
          fields: e.fields.map((f) =>
            f.name === FILE_FIELD ? { ...f, file: { maxBytes: 8 * 1024 * 1024, accept: ['image/*', 'application/octet-stream'] } } : f,
          ),
        }
      : e,
  ),
});
export const taskFileMeta = entityMeta(mediaRegistry, 'Task');

export interface MediaDevice {
  database: Database;
  engine: SyncEngine;
  /** Task adapter over `taskFileMeta` (with `attach`). */
  tasks: WritableSyncAdapter<Model, Record<string, unknown>, Record<string, unknown>>;
  files: FileStore;
}

/** A device whose engine uploads through tus (and PUT), files kept by the Node store in `filesDir`. */
export function openMediaDevice(options: {
  tenantId: string;
  transport: SyncTransport;
  filesDir: string;
  dbName?: string;
  platform?: Partial<Platform>;
  uploads?: Partial<UploadOptions>;
  chunkSize?: number;
}): MediaDevice {
  const database = openExampleDatabase(options.dbName);
  const files = nodeFileStore({ dir: options.filesDir });
  const engine = new SyncEngine({
    database,
    registry: mediaRegistry,
    transport: options.transport,
    platform: options.platform,
    intervalMs: 0,
    backoff: { initialMs: 1, maxMs: 5 },
    uploads: {
      files,
      transports: [tusUploadTransport(tus, { chunkSize: options.chunkSize ?? 1024 * 1024 }), putUploadTransport()],
      backoff: { initialMs: 1, maxMs: 5 },
      ...options.uploads,
    },
  });
  const tasks = new WritableSyncAdapter<Model, Record<string, unknown>, Record<string, unknown>>(
    { database, scopeValue: options.tenantId, files },
    taskFileMeta,
  );
  return { database, engine, tasks, files };
}

/** Run uploader passes (no backoff wait) until `uploadId` is done or failed; at most `maxPasses`. */
export async function uploadUntilSettled(engine: SyncEngine, uploadId: string, maxPasses = 50): Promise<UploadEntry> {
  for (let pass = 0; pass < maxPasses; pass++) {
    await engine.runUploads({ ignoreBackoff: true });
    const entry = (await engine.listUploads()).find((u) => u.id === uploadId)!;
    if (entry.status === 'done' || entry.status === 'failed') return entry;
  }
  throw new Error(`upload ${uploadId} not settled after ${maxPasses} passes`);
}
