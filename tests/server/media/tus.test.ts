import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SyncStorage } from 'trackhub-sync/runtime/server';
import { type TusStorage, tusStorage } from 'trackhub-sync/runtime/server/tus';
import { Upload } from 'tus-js-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type ExampleDatabase } from '../../../examples/trackhub-core/server/database';
import { createResolvers } from '../../golden/media/expected/server';
import { item, tenant } from '../harness';
import { closeServer, listen, mediaSource, startMediaApi, type MediaApi, type Ticket } from './mediaServer';

// File fields end to end (docs/PROTOCOL.md "Media"): the generated server on
// SQLite over HTTP, a real @tus/server on 127.0.0.1 behind tusStorage, and
// tus-js-client uploading as the device does.

const FIVE_MB = 5 * 1024 * 1024;
const headersOf = (ticket: Ticket) => Object.fromEntries(ticket.headers.map((h) => [h.name, h.value]));

/** Upload `data` with tus-js-client under `ticket`; resolves to the upload URL. */
function tusUpload(ticket: Ticket, data: Buffer, contentType = 'image/jpeg'): Promise<string> {
  return new Promise((resolve, reject) => {
    const upload = new Upload(data, {
      endpoint: ticket.url,
      headers: headersOf(ticket),
      chunkSize: 1024 * 1024,
      metadata: { filetype: contentType },
      retryDelays: [],
      onError: reject,
      onSuccess: () => resolve(upload.url!),
    });
    upload.start();
  });
}

describe('file fields with tusStorage on SQLite', () => {
  let db: ExampleDatabase;
  let dir: string;
  let storage: TusStorage;
  let tusServer: Server;
  let api: MediaApi;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'trackhub-media-'));
    db = await openDatabase({ file: join(dir, 'sync.db') }, mediaSource);
    // The tus endpoint's public URL needs the port: listen first, then build the storage.
    tusServer = createServer((req, res) => void storage.handle(req, res));
    const base = await listen(tusServer);
    storage = tusStorage({ directory: join(dir, 'uploads'), endpointUrl: `${base}/files`, secret: randomBytes(32) });
    api = await startMediaApi(db, storage);
  });
  afterAll(async () => {
    await api?.close();
    if (tusServer) await closeServer(tusServer);
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const ticketFor = async (t: string, overrides: Record<string, unknown> = {}) => {
    const result = await api.ticket(t, {
      entity: 'Expense',
      field: 'receiptKey',
      recordId: 'r1',
      uploadId: randomUUID(),
      size: FIVE_MB,
      contentType: 'image/jpeg',
      ...overrides,
    });
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    return result.data!.syncUploadTicket;
  };
  const create = (fields: Record<string, unknown>) => item('create', { data: { title: 'Lunch', ...fields } });

  it('a ticket, a 5 MB tus upload that arrives byte-identical, and a push holding its key', async () => {
    const a = tenant('media-a');
    const uploadId = randomUUID();
    const ticket = await ticketFor(a, { uploadId });
    expect(ticket).toMatchObject({ method: 'tus', key: `t/${encodeURIComponent(a)}/${uploadId}` });
    expect(await storage.exists(ticket.key)).toBe(false);

    const data = randomBytes(FIVE_MB);
    await tusUpload(ticket, data);
    expect(await storage.exists(ticket.key)).toBe(true);

    const [created] = await api.push([create({ receiptKey: ticket.key })], a);
    expect(created, created!.errorMessage ?? '').toMatchObject({ success: true });

    const read = await api.gql<{ syncFileUrl: { url: string; expiresAt: string } }>(
      'query($key: String!) { syncFileUrl(key: $key) { url expiresAt } }',
      { key: ticket.key },
      a,
    );
    const response = await fetch(read.data!.syncFileUrl.url);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(data)).toBe(true);
  });

  it('refuses a key whose object never arrived or is incomplete (VALIDATION naming the field); the rest of the batch lands', async () => {
    const a = tenant('media-missing');
    const never = await ticketFor(a);
    const partial = await ticketFor(a, { size: 10 });
    // Create the tus upload but send only 4 of its 10 bytes.
    const post = await fetch(partial.url, {
      method: 'POST',
      headers: { ...headersOf(partial), 'Tus-Resumable': '1.0.0', 'Upload-Length': '10' },
    });
    expect(post.status).toBe(201);
    const patch = await fetch(post.headers.get('location')!, {
      method: 'PATCH',
      headers: { ...headersOf(partial), 'Tus-Resumable': '1.0.0', 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' },
      body: Buffer.from('abcd'),
    });
    expect(patch.status).toBe(204);

    const results = await api.push([create({ receiptKey: never.key }), create({ title: 'plain' }), create({ attachment: partial.key })], a);
    expect(results.map((r) => [r.success, r.errorCode, r.errorMessage])).toEqual([
      [false, 'VALIDATION', "file 'receiptKey': no such object"],
      [true, null, null],
      [false, 'VALIDATION', "file 'attachment': no such object"],
    ]);
    // The same on an update.
    const [update] = await api.push(
      [item('update', { id: results[1]!.id, baseVersion: 1, updatedAt: new Date().toISOString(), data: { receiptKey: never.key } })],
      a,
    );
    expect(update).toMatchObject({ success: false, errorCode: 'VALIDATION', errorMessage: "file 'receiptKey': no such object" });
  });

  it('keeps tenants apart: keys, pushes, tus requests and read URLs', async () => {
    const a = tenant('media-owner');
    const b = tenant('media-other');
    const uploadId = randomUUID();
    const ticketA = await ticketFor(a, { uploadId, size: 64 });
    const uploadUrl = await tusUpload(ticketA, randomBytes(64));

    // B asking for A's uploadId gets a key of its own tenant, never A's.
    const ticketB = await ticketFor(b, { uploadId, size: 64 });
    expect(ticketB.key).not.toBe(ticketA.key);
    expect(ticketB.key.startsWith(`t/${encodeURIComponent(b)}/`)).toBe(true);

    // B pushing A's key: FORBIDDEN.
    const [pushed] = await api.push([create({ receiptKey: ticketA.key })], b);
    expect(pushed).toMatchObject({ success: false, errorCode: 'FORBIDDEN', errorMessage: expect.stringContaining("file 'receiptKey'") });

    // B's token on A's tus upload URL: 403 for HEAD, PATCH, DELETE and GET.
    const asB = { ...headersOf(ticketB), 'Tus-Resumable': '1.0.0' };
    expect((await fetch(uploadUrl, { method: 'HEAD', headers: asB })).status).toBe(403);
    const patch = await fetch(uploadUrl, {
      method: 'PATCH',
      headers: { ...asB, 'Upload-Offset': '64', 'Content-Type': 'application/offset+octet-stream' },
      body: Buffer.from('x'),
    });
    expect(patch.status).toBe(403);
    expect((await fetch(uploadUrl, { method: 'DELETE', headers: asB })).status).toBe(403);
    expect((await fetch(uploadUrl, { headers: asB })).status).toBe(403);
    // No token at all, or a forged one: 403 as well.
    expect((await fetch(uploadUrl, { method: 'HEAD', headers: { 'Tus-Resumable': '1.0.0' } })).status).toBe(403);
    const forged = `${headersOf(ticketA)['X-Upload-Token']!.split('.')[0]}.${'A'.repeat(43)}`;
    expect((await fetch(uploadUrl, { method: 'HEAD', headers: { 'Tus-Resumable': '1.0.0', 'X-Upload-Token': forged } })).status).toBe(403);
    // A's own token still works.
    const head = await fetch(uploadUrl, { method: 'HEAD', headers: { ...headersOf(ticketA), 'Tus-Resumable': '1.0.0' } });
    expect([head.status, head.headers.get('upload-offset')]).toEqual([200, '64']);

    // B asking for a read URL of A's key: FORBIDDEN; A's URL with another object's id: 403.
    const read = await api.gql('query($key: String!) { syncFileUrl(key: $key) { url } }', { key: ticketA.key }, b);
    expect(read.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const own = await api.gql<{ syncFileUrl: { url: string } }>('query($key: String!) { syncFileUrl(key: $key) { url } }', { key: ticketA.key }, a);
    const url = new URL(own.data!.syncFileUrl.url);
    expect((await fetch(url)).status).toBe(200);
    const other = new URL(url);
    other.pathname = other.pathname.replace(
      /[^/]+$/,
      uploadUrl
        .split('/')
        .pop()!
        .replace(/\.[^.]+$/, `.${randomUUID()}`),
    );
    expect((await fetch(other)).status).toBe(403);
    url.searchParams.set('expires', String(Number(url.searchParams.get('expires')) + 1000));
    expect((await fetch(url)).status).toBe(403);
  });

  it('tickets are idempotent per tenant and uploadId, and refuse what the field does not accept', async () => {
    const a = tenant('media-rules');
    const uploadId = randomUUID();
    const first = await ticketFor(a, { uploadId });
    const again = await ticketFor(a, { uploadId, size: 1234 });
    expect(again.key).toBe(first.key);

    const refusal = async (t: string | null, input: Record<string, unknown>) => {
      const result = await api.ticket(t, {
        entity: 'Expense',
        field: 'receiptKey',
        recordId: 'r',
        uploadId: randomUUID(),
        size: 10,
        contentType: 'image/png',
        ...input,
      });
      return [result.errors?.[0]?.extensions?.code, result.errors?.[0]?.message];
    };
    expect(await refusal(a, { size: 10 * 1024 * 1024 + 1 })).toEqual([
      'BAD_REQUEST',
      'Expense.receiptKey: 10485761 bytes is over the limit of 10485760',
    ]);
    expect(await refusal(a, { contentType: 'text/html' })).toEqual([
      'BAD_REQUEST',
      "Expense.receiptKey: content type 'text/html' is not accepted (image/*, application/pdf)",
    ]);
    expect((await refusal(a, { contentType: null }))[0]).toBe('BAD_REQUEST');
    expect(await refusal(a, { contentType: 'application/pdf' })).toEqual([undefined, undefined]);
    expect(await refusal(a, { field: 'title' })).toEqual(['BAD_REQUEST', 'Expense.title is not a file field']);
    expect(await refusal(a, { entity: 'Nope' })).toEqual(['BAD_REQUEST', "unknown entity 'Nope'"]);
    expect((await refusal(a, { uploadId: 'not-a-uuid' }))[0]).toBe('BAD_REQUEST');
    expect((await refusal(a, { size: -1 }))[0]).toBe('BAD_REQUEST');
    expect((await refusal(null, {}))[0]).toBe('UNAUTHENTICATED');
    // A field without limits takes any size up to 2 GiB - 1 and no content type.
    expect(await refusal(a, { field: 'attachment', size: 2 ** 31 - 1, contentType: null })).toEqual([undefined, undefined]);

    // The tus server holds the ticket to its size: a longer Upload-Length is refused.
    const small = await ticketFor(a, { size: 10 });
    const post = await fetch(small.url, { method: 'POST', headers: { ...headersOf(small), 'Tus-Resumable': '1.0.0', 'Upload-Length': '11' } });
    expect(post.status).toBe(413);
  });

  it('a completed upload is never re-created under the same key', async () => {
    const a = tenant('media-once');
    const ticket = await ticketFor(a, { size: 32 });
    await tusUpload(ticket, randomBytes(32));
    const again = await fetch(ticket.url, { method: 'POST', headers: { ...headersOf(ticket), 'Tus-Resumable': '1.0.0', 'Upload-Length': '32' } });
    expect(again.status).toBe(409);
    expect(await storage.exists(ticket.key)).toBe(true);
  });

  it('refuses to start with a file field and no storage', () => {
    expect(() => createResolvers({ prisma: db.prisma })).toThrow(
      /Expense\.receiptKey, Expense\.attachment are file fields \(@sync\.file\) but no storage is configured/,
    );
    const storageless: SyncStorage | undefined = undefined;
    expect(() => createResolvers({ prisma: db.prisma, storage: storageless })).toThrow(/no storage/);
  });
});
