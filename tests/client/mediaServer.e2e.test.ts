import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { type Server, createServer, get as httpGet } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database, type Model } from '@nozbe/watermelondb';
import * as sqliteModule from '@nozbe/watermelondb/adapters/sqlite';
import { logger } from '@nozbe/watermelondb/utils/common';
import { type TusStorage, tusStorage } from 'trackhub-sync/runtime/server/tus';
import * as tus from 'tus-js-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type ExampleDatabase } from '../../examples/trackhub-core/server/database';
import {
  GraphqlTransport,
  ManualNetwork,
  SyncEngine,
  TransportError,
  listQueue,
  putUploadTransport,
  tusUploadTransport,
} from '../../runtime/client/index';
import { interopDefault } from '../../runtime/client/interop';
import { nodeFileStore } from '../../runtime/client/node/index';
import { createAdapters, registry } from '../golden/media/expected/client/index';
import { migrations, modelClasses, schema } from '../golden/media/expected/watermelon/index';
import { closeServer, listen, mediaSource, startMediaApi, type MediaApi } from '../server/media/mediaServer';
import { type CuttingProxy, startCuttingProxy, uploadUntilSettled } from './support/media';

// Both halves of file fields together (docs/PROTOCOL.md "Media"): devices on
// WatermelonDB's SQLite adapter with the media golden case's generated models,
// registry and adapters, a SyncEngine with GraphqlTransport (typed operations)
// and tus-js-client, against the media golden case's generated server over
// graphql-yoga on SQLite with tusStorage on a real @tus/server, reached
// through a TCP proxy that counts and cuts. Tickets come from the real
// syncUploadTicket mutation, reads from the real syncFileUrl query.

const SQLiteAdapter = interopDefault(sqliteModule) as unknown as typeof sqliteModule.default;
logger.silence();

const MB = 1024 * 1024;
let dir: string;
let db: ExampleDatabase;
let storage: TusStorage;
let tusHttp: Server;
let proxy: CuttingProxy;
let api: MediaApi;
/** Moves the storage's clock (ticket expiry) without touching the devices'. */
let clockSkewMs = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trackhub-media-e2e-'));
  db = await openDatabase({ file: join(dir, 'sync.db') }, mediaSource);
  // The endpoint clients reach is the proxy's, so it needs both ports first.
  tusHttp = createServer((req, res) => void storage.handle(req, res));
  const tusPort = Number(new URL(await listen(tusHttp)).port);
  proxy = await startCuttingProxy({ host: '127.0.0.1', port: tusPort });
  storage = tusStorage({
    directory: join(dir, 'objects'),
    endpointUrl: `${proxy.origin}/files`,
    secret: randomBytes(32),
    now: () => new Date(Date.now() + clockSkewMs),
  });
  api = await startMediaApi(db, storage);
});
afterAll(async () => {
  await api?.close();
  await proxy?.close();
  if (tusHttp) await closeServer(tusHttp);
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

let counter = 0;
const newTenant = (name: string) => `${name}-${process.pid}-${++counter}`;

type Prisma = { expense: { findMany(args: object): Promise<Record<string, unknown>[]> } };
const serverExpenses = (tenant: string) => (db.prisma as unknown as Prisma).expense.findMany({ where: { tenantId: tenant } });

/** The bytes behind a read URL (node:http without keep-alive: the connection closes once the body is in, as a browser may). */
function download(url: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    httpGet(url, { agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        expect(response.statusCode).toBe(200);
        resolve(Buffer.concat(chunks));
      });
      response.on('error', reject);
    }).on('error', reject);
  });
}

/** `syncFileUrl` as `tenant` asks it. */
const readUrl = (tenant: string, key: string) =>
  api.gql<{ syncFileUrl: { url: string } }>('query($key: String!) { syncFileUrl(key: $key) { url } }', { key }, tenant);

/** Object files the tus store holds (one per upload, beside its .json). */
const objectFiles = () => readdirSync(join(dir, 'objects')).filter((f) => !f.endsWith('.json'));

function device(tenant: string, options: { network?: ManualNetwork } = {}) {
  const database = new Database({ adapter: new SQLiteAdapter({ schema, migrations, dbName: ':memory:', jsi: false }), modelClasses });
  const files = nodeFileStore({ dir: join(dir, `files-${tenant}-${++counter}`) });
  const transport = new GraphqlTransport({ url: api.url, registry, headers: () => ({ 'x-tenant': tenant }) });
  const engine = new SyncEngine({
    database,
    registry,
    transport,
    platform: options.network ? { network: options.network } : undefined,
    intervalMs: 0,
    backoff: { initialMs: 1, maxMs: 5 },
    uploads: {
      files,
      transports: [tusUploadTransport(tus, { chunkSize: MB }), putUploadTransport()],
      backoff: { initialMs: 1, maxMs: 5 },
    },
  });
  return { database, engine, adapters: createAdapters({ database, scopeValue: tenant, files }) };
}

describe('file fields end to end: generated server, tusStorage, engine', () => {
  const tenantA = newTenant('a');
  const bytes = randomBytes(5 * MB);
  let keyA = '';

  it('(a) a 5 MB receipt attached offline uploads through the real ticket and tus server; the push waits; the server holds the key of identical bytes', async () => {
    const network = new ManualNetwork(false);
    const d = device(tenantA, { network });
    const path = join(dir, 'receipt.jpg');
    writeFileSync(path, bytes);

    const expense = await d.adapters.expense.create({ title: 'Lunch', amountCents: 1250 });
    const upload = await d.adapters.expense.attach(expense.id, 'receiptKey', path, { contentType: 'image/jpeg' });
    expect((await d.engine.sync()).error).toBe('offline');
    expect(await d.engine.runUploads()).toMatchObject({ done: 0, waiting: 1 });

    // Online, before the upload ran: the create holding the placeholder is not sent.
    network.set(true);
    expect((await d.engine.sync()).ok).toBe(true);
    expect(await serverExpenses(tenantA)).toEqual([]);
    expect((await listQueue(d.database)).map((e) => e.payload.receiptKey)).toEqual([`upload:${upload.id}`]);

    const before = proxy.bytesUp;
    const done = await uploadUntilSettled(d.engine, upload.id);
    keyA = `t/${encodeURIComponent(tenantA)}/${upload.id}`;
    expect(done).toMatchObject({ status: 'done', key: keyA, bytesSent: 5 * MB, attempts: 1 });
    // Five 1 MiB PATCHes plus the POST and request headers: no byte twice.
    expect(proxy.bytesUp - before - 5 * MB).toBeGreaterThan(0);
    expect(proxy.bytesUp - before - 5 * MB).toBeLessThan(16 * 1024);
    expect(await storage.exists(keyA)).toBe(true);

    expect((await listQueue(d.database)).map((e) => e.payload.receiptKey)).toEqual([keyA]);
    expect((await d.engine.sync()).ok).toBe(true);
    expect(await listQueue(d.database)).toEqual([]);
    const [onServer] = await serverExpenses(tenantA);
    expect(onServer).toMatchObject({ title: 'Lunch', amountCents: 1250, receiptKey: keyA, clientId: expense.id });
    const read = await readUrl(tenantA, keyA);
    expect(read.errors).toBeUndefined();
    expect((await download(read.data!.syncFileUrl.url)).equals(bytes)).toBe(true);
    // The device shows the object through the same query.
    const local = await d.adapters.expense.find(expense.id);
    expect((local!._raw as unknown as Record<string, unknown>).receipt_key).toBe(keyA);
  });

  it('(b) a second device of the tenant pulls the record; fileSource gives a URL of identical bytes', async () => {
    expect(keyA).not.toBe('');
    const d = device(tenantA);
    expect((await d.engine.sync()).ok).toBe(true);
    const pulled = await d.database.get<Model>('expenses').query().fetch();
    expect(pulled.map((r) => (r._raw as unknown as Record<string, unknown>).receipt_key)).toEqual([keyA]);
    const source = await d.engine.fileSource(keyA);
    expect(source).toMatchObject({ kind: 'remote', key: keyA });
    expect((await download((source as { url: string }).url)).equals(bytes)).toBe(true);
  });

  it("(c) tenant B can neither read A's key nor push it: fileSource refused FORBIDDEN, the push parked FORBIDDEN", async () => {
    expect(keyA).not.toBe('');
    const tenantB = newTenant('b');
    const d = device(tenantB);
    const refused = await d.engine.fileSource(keyA).then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(TransportError);
    expect((refused as TransportError).code).toBe('FORBIDDEN');
    expect((await readUrl(tenantB, keyA)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const stolen = await d.adapters.expense.create({ title: 'stolen', receiptKey: keyA });
    await d.engine.sync();
    expect(await serverExpenses(tenantB)).toEqual([]);
    const [parked] = await listQueue(d.database);
    expect(parked).toMatchObject({ entityId: stolen.id, status: 'failed' });
    expect(parked!.lastError).toContain('FORBIDDEN');
    expect(parked!.lastError).toContain("file 'receiptKey'");
  });

  it('(d) a connection cut mid-upload resumes from the acknowledged offset; an expired ticket is asked again for the same upload', async () => {
    const tenant = newTenant('cut');
    const d = device(tenant);
    const data = randomBytes(5 * MB);
    const path = join(dir, 'cut.jpg');
    writeFileSync(path, data);
    const expense = await d.adapters.expense.create({ title: 'Hotel' });
    const upload = await d.adapters.expense.attach(expense.id, 'receiptKey', path, { contentType: 'image/jpeg' });
    const key = `t/${encodeURIComponent(tenant)}/${upload.id}`;
    const objectsBefore = objectFiles().length;
    const before = proxy.bytesUp;
    const cutsBefore = proxy.cuts;
    const retries: string[] = [];
    d.engine.events.subscribe((e) => {
      if (e.type === 'uploadRetry') retries.push(e.error);
    });

    // Cut inside the third PATCH (after ≈ 2.4 MiB), then let the uploader retry.
    proxy.cutAfter(2 * MB + 400 * 1024);
    const first = await d.engine.runUploads({ ignoreBackoff: true });
    expect(first).toMatchObject({ done: 0, retrying: 1 });
    expect(proxy.cuts).toBe(cutsBefore + 1);
    const interrupted = (await d.engine.listUploads()).find((u) => u.id === upload.id)!;
    expect(interrupted).toMatchObject({ status: 'pending', key, bytesSent: 2 * MB });

    // The storage's clock passes the ticket's expiry: the resume's HEAD is refused (403) and the same uploadId is asked again.
    clockSkewMs = 2 * 86_400_000;
    try {
      const done = await uploadUntilSettled(d.engine, upload.id);
      expect(done).toMatchObject({ status: 'done', key, bytesSent: 5 * MB });
      expect(retries).toHaveLength(2);
      expect(retries[1]).toContain('403');
    } finally {
      clockSkewMs = 0;
    }
    // Sent: the whole file once, plus the unacknowledged part of the cut PATCH, plus headers.
    const overhead = proxy.bytesUp - before - 5 * MB;
    expect(overhead).toBeGreaterThan(0);
    expect(overhead).toBeLessThan(400 * 1024 + 32 * 1024);
    expect(objectFiles().length).toBe(objectsBefore + 1);

    expect((await d.engine.sync()).ok).toBe(true);
    expect(await serverExpenses(tenant)).toMatchObject([{ title: 'Hotel', receiptKey: key }]);
    const source = await d.engine.fileSource(key);
    expect((await download((source as { url: string }).url)).equals(data)).toBe(true);
  });
});
