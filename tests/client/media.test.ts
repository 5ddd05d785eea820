import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CheckpointError,
  LocalWriteError,
  ManualNetwork,
  TransportError,
  listQueue,
  unmeteredOnly,
  type SyncEvent,
} from '../../runtime/client/index';
import {
  FILE_FIELD,
  type CuttingProxy,
  type PutTestServer,
  type TusTestServer,
  openMediaDevice,
  startCuttingProxy,
  startPutServer,
  startTusServer,
  stubKey,
  uploadUntilSettled,
  withTickets,
} from './support/media';
import { createAdapters } from '../../examples/trackhub-core/generated/client/index';
import { startTestServer, type TestServer } from './support/server';

// Files attached to synced records (docs/PROTOCOL.md "Media", client side): the
// real engine on WatermelonDB's SQLite adapter, tus-js-client against a real
// @tus/server + @tus/file-store over HTTP (through a TCP proxy that counts and
// cuts), a real HTTP PUT store for presigned URLs, and the real example sync
// server receiving the pushes.

const MB = 1024 * 1024;
let dir: string;
let server: TestServer;
let tusServer: TusTestServer;
let proxy: CuttingProxy;
let putServer: PutTestServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trackhub-media-'));
  mkdirSync(join(dir, 'tus'));
  server = await startTestServer();
  tusServer = await startTusServer(join(dir, 'tus'));
  proxy = await startCuttingProxy({ host: '127.0.0.1', port: Number(new URL(tusServer.url).port) });
  putServer = await startPutServer();
});
afterAll(async () => {
  await proxy?.close();
  await tusServer?.close();
  await putServer?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

let tenantCounter = 0;
const newTenant = () => `m${process.pid}x${++tenantCounter}`;
const tusUrl = () => `${proxy.origin}/files`;

function device(tenant: string, options: { network?: ManualNetwork; put?: boolean; refuse?: Parameters<typeof withTickets>[3] } = {}) {
  const transport = withTickets(server.transport(tenant), options.put ? { putUrl: putServer.url } : { tusUrl: tusUrl() }, tenant, options.refuse);
  const d = openMediaDevice({
    tenantId: tenant,
    transport,
    filesDir: join(dir, `files-${tenant}`),
    platform: options.network ? { network: options.network } : undefined,
  });
  return { ...d, transport, events: collect(d.engine) };
}

function collect(engine: { events: { subscribe(l: (e: SyncEvent) => void): () => void } }): SyncEvent[] {
  const events: SyncEvent[] = [];
  engine.events.subscribe((e) => events.push(e));
  return events;
}

describe('attach and upload through tus', () => {
  it('a 5 MB file attached offline arrives byte-identical; the push waits for it and the server ends with the key of an existing object', async () => {
    const tenant = newTenant();
    const network = new ManualNetwork(false);
    const d = device(tenant, { network });
    const bytes = randomBytes(5 * MB);
    const path = join(dir, `photo-${tenant}.bin`);
    writeFileSync(path, bytes);

    // Offline: the record and its file are written; nothing leaves.
    const task = await d.tasks.create({ title: 'receipt' });
    const upload = await d.tasks.attach(task.id, FILE_FIELD, path, { contentType: 'application/octet-stream' });
    const record = await d.tasks.find(task.id);
    expect((record!._raw as unknown as Record<string, unknown>).created_by).toBe(`upload:${upload.id}`);
    expect(await d.engine.runUploads()).toMatchObject({ done: 0, waiting: 1 });
    expect((await d.engine.sync()).error).toBe('offline');
    expect(d.transport.tickets).toEqual([]);

    // Online, the upload not yet run: the create (which holds the placeholder) is not sent.
    network.set(true);
    const early = await d.engine.sync();
    expect(early.ok).toBe(true);
    expect(await server.records(tenant, 'Task')).toEqual([]);
    const [queued] = await listQueue(d.database);
    expect(queued!.payload[FILE_FIELD]).toBe(`upload:${upload.id}`);

    const before = proxy.bytesUp;
    const done = await uploadUntilSettled(d.engine, upload.id);
    const key = stubKey(tenant, upload.id);
    expect(done).toMatchObject({ status: 'done', key, bytesSent: 5 * MB, attempts: 1 });
    expect(readFileSync(join(dir, 'tus', key)).equals(bytes)).toBe(true);
    // 5 chunks of 1 MiB plus request headers: nothing sent twice.
    expect(proxy.bytesUp - before).toBeLessThan(5 * MB + 16 * 1024);

    // One writer put the key in the record and in the queued payload; the sync the upload triggered pushes it.
    expect((await listQueue(d.database)).map((e) => e.payload[FILE_FIELD])).toEqual([key]);
    await d.engine.sync();
    const [onServer] = await server.records(tenant, 'Task');
    expect(onServer).toMatchObject({ title: 'receipt', [FILE_FIELD]: key });
    expect(await tusServer.exists(onServer![FILE_FIELD] as string)).toBe(true);
    expect(await listQueue(d.database)).toEqual([]);

    // Progress per file in the events; an app-owned path is never deleted.
    const progress = d.events.filter((e) => e.type === 'uploadProgress');
    expect(progress.length).toBeGreaterThanOrEqual(5);
    expect(progress.at(-1)).toMatchObject({ uploadId: upload.id, field: FILE_FIELD, acknowledged: 5 * MB, size: 5 * MB });
    expect(d.events.filter((e) => e.type === 'uploadDone')).toEqual([
      { type: 'uploadDone', uploadId: upload.id, entity: 'Task', entityId: task.id, field: FILE_FIELD, key, size: 5 * MB, attempts: 1 },
    ]);
    expect(existsSync(path)).toBe(true);
    expect(d.engine.status.value).toMatchObject({ uploads: [], pendingUploads: 0 });
    expect(await d.engine.fileSource(`upload:${upload.id}`)).toMatchObject({ kind: 'local', source: path, status: 'done' });
  });

  it('connections cut at random points: resumes from the offset the server persisted, no byte sent twice beyond the cut requests, one object', async () => {
    const tenant = newTenant();
    const d = device(tenant);
    const bytes = randomBytes(5 * MB);
    const task = await d.tasks.create({ title: 'cut' });
    const upload = await d.tasks.attach(task.id, FILE_FIELD, bytes, { contentType: 'application/octet-stream' });
    const before = proxy.bytesUp;
    const cutsBefore = proxy.cuts;
    const requestsBefore = proxy.requests.length;
    // Three cuts, each somewhere in the next 1.5 MB of the stream (seeded by the test's random bytes).
    const points = [0, 1, 2].map((i) => 200_000 + ((bytes[i]! * 5_000 + bytes[i + 3]!) % 1_300_000));
    let settled = null;
    for (const point of points) {
      proxy.cutAfter(point);
      await d.engine.runUploads({ ignoreBackoff: true });
    }
    settled = await uploadUntilSettled(d.engine, upload.id);
    expect(proxy.cuts - cutsBefore).toBe(3);
    expect(settled).toMatchObject({ status: 'done', bytesSent: 5 * MB });
    expect(settled!.attempts).toBe(4);
    expect(readFileSync(join(dir, 'tus', stubKey(tenant, upload.id))).equals(bytes)).toBe(true);
    // Bytes sent twice are only those of a cut request the server had not persisted when the
    // connection dropped (in socket buffers: how many depends on the kernel and the load). Each
    // resumed PATCH starts at the server's offset: never before the cut request's start (nothing
    // acknowledged is sent again), never past what the cut request carried.
    const patches = proxy.requests.slice(requestsBefore).filter((r) => r.method === 'PATCH');
    expect(patches.filter((r) => r.cut)).toHaveLength(3);
    let unpersisted = 0;
    for (const [i, cut] of patches.entries()) {
      if (!cut.cut) continue;
      const resumed = patches[i + 1]!.uploadOffset!;
      expect(resumed).toBeGreaterThanOrEqual(cut.uploadOffset!);
      expect(resumed).toBeLessThanOrEqual(cut.uploadOffset! + cut.body);
      unpersisted += cut.uploadOffset! + cut.body - resumed;
    }
    const bodies = patches.reduce((sum, r) => sum + r.body, 0);
    expect(bodies).toBe(5 * MB + unpersisted);
    // Everything else that crossed the proxy is request lines and headers.
    const headers = proxy.bytesUp - before - bodies;
    expect(headers).toBeGreaterThan(0);
    expect(headers).toBeLessThan(32 * 1024);
    expect(tusServer.objects().filter((o) => o.includes(upload.id))).toHaveLength(1);
    expect(d.events.filter((e) => e.type === 'uploadRetry')).toHaveLength(3);
    // The store's own copy (attached bytes) is released once the upload is done.
    expect(existsSync(settled!.localRef)).toBe(false);
  });
});

describe('the started engine', () => {
  it('uploads an attached file by itself, shows its bytes in the status, then syncs the waiting create', async () => {
    const tenant = newTenant();
    const d = device(tenant);
    const statuses: number[] = [];
    d.engine.status.subscribe((s) => {
      for (const u of s.uploads) statuses.push(u.acknowledged);
    });
    const pushed = new Promise<void>((resolve) =>
      d.engine.events.subscribe((e) => e.type === 'syncFinish' && e.trigger === 'uploadDone' && e.acknowledged === 1 && resolve()),
    );
    d.engine.start();
    const task = await d.tasks.create({ title: 'background' });
    const upload = await d.tasks.attach(task.id, FILE_FIELD, randomBytes(3 * MB), { contentType: 'image/webp' });
    await pushed;
    d.engine.stop();
    await d.engine.idle();
    expect(await server.records(tenant, 'Task')).toMatchObject([{ title: 'background', [FILE_FIELD]: stubKey(tenant, upload.id) }]);
    expect(statuses).toContain(3 * MB);
    expect(statuses.filter((n) => n > 0 && n < 3 * MB).length).toBeGreaterThan(0);
  });
});

describe('checkpoint', () => {
  it('uploads the files its writes wait for, then pushes them; rejects with the waiting writes when an upload cannot run now', async () => {
    const tenant = newTenant();
    const network = new ManualNetwork(true);
    network.setMetered(true);
    const d = device(tenant, { network });
    const options = (d.engine as unknown as { options: { uploads?: { policy: unknown } } }).options;
    options.uploads!.policy = unmeteredOnly;
    const task = await d.tasks.create({ title: 'checkpointed' });
    const upload = await d.tasks.attach(task.id, FILE_FIELD, randomBytes(2000), { contentType: 'image/jpeg' });

    // Metered under unmeteredOnly: the upload cannot run, so neither can the create that waits for it.
    const refused = await d.engine.checkpoint().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(CheckpointError);
    expect((refused as CheckpointError).message).toMatch(/1 upload\(s\) could not finish now/);
    expect((refused as CheckpointError).entries.map((e) => e.entityId)).toEqual([task.id]);
    expect(await server.records(tenant, 'Task')).toEqual([]);

    // An engine without the uploads option says so instead of waiting five rounds.
    const uploads = options.uploads;
    options.uploads = undefined;
    await expect(d.engine.checkpoint()).rejects.toThrow(/wait for file uploads and this engine has no `uploads` option/);
    options.uploads = uploads;

    network.setMetered(false);
    await d.engine.checkpoint();
    expect(await server.records(tenant, 'Task')).toMatchObject([{ title: 'checkpointed', [FILE_FIELD]: stubKey(tenant, upload.id) }]);
    expect(await listQueue(d.database)).toEqual([]);
    expect((await d.engine.listUploads()).find((u) => u.id === upload.id)).toMatchObject({ status: 'done', attempts: 1 });
  });
});

describe('presigned PUT', () => {
  it('uploads with one PUT; an expired signature (403) makes the uploader ask a new ticket for the same key', async () => {
    const tenant = newTenant();
    const d = device(tenant, { put: true });
    const bytes = randomBytes(300_000);
    const task = await d.tasks.create({ title: 'put' });
    const upload = await d.tasks.attach(task.id, FILE_FIELD, new Blob([bytes], { type: 'image/png' }));
    putServer.refuseNext.push(403);
    const done = await uploadUntilSettled(d.engine, upload.id);
    expect(done).toMatchObject({ status: 'done', attempts: 2, contentType: 'image/png' });
    expect(d.transport.tickets.map((t) => t.uploadId)).toEqual([upload.id, upload.id]);
    expect(putServer.objects.get(stubKey(tenant, upload.id))?.equals(bytes)).toBe(true);
    await d.engine.sync();
    expect((await server.records(tenant, 'Task'))[0]![FILE_FIELD]).toBe(stubKey(tenant, upload.id));
  });
});

describe('failures, policy and limits', () => {
  it('a refused ticket fails the upload for good and parks the waiting create with a message naming the field; retryUpload sends it', async () => {
    const tenant = newTenant();
    let refuse = true;
    const d = device(tenant, { refuse: () => (refuse ? new TransportError('BAD_REQUEST: size over maxBytes', false, 'BAD_REQUEST') : null) });
    const task = await d.tasks.create({ title: 'refused' });
    const upload = await d.tasks.attach(task.id, FILE_FIELD, randomBytes(1000), { contentType: 'image/jpeg' });
    const failed = await uploadUntilSettled(d.engine, upload.id);
    expect(failed).toMatchObject({ status: 'failed', attempts: 1 });
    const [parked] = await listQueue(d.database);
    expect(parked).toMatchObject({ status: 'failed', lastError: `file '${FILE_FIELD}': upload failed: ticket: BAD_REQUEST: size over maxBytes` });
    expect(d.events.find((e) => e.type === 'uploadFailed')).toMatchObject({ uploadId: upload.id, opIds: [parked!.id] });
    expect((await d.engine.exportState()).uploads.map((u) => u.id)).toEqual([upload.id]);

    refuse = false;
    await d.engine.retryUpload(upload.id);
    expect(await uploadUntilSettled(d.engine, upload.id)).toMatchObject({ status: 'done' });
    await d.engine.sync();
    expect(await server.records(tenant, 'Task')).toMatchObject([{ title: 'refused', [FILE_FIELD]: stubKey(tenant, upload.id) }]);
  });

  it('a metered network holds uploads under unmeteredOnly; the record can be detached (the field set to null) and pushed without the file', async () => {
    const tenant = newTenant();
    const network = new ManualNetwork(true);
    network.setMetered(true);
    const d = device(tenant, { network });
    (d.engine as unknown as { options: { uploads: { policy: unknown } } }).options.uploads.policy = unmeteredOnly;
    const task = await d.tasks.create({ title: 'metered' });
    const upload = await d.tasks.attach(task.id, FILE_FIELD, randomBytes(1000), { contentType: 'image/jpeg' });
    expect(await d.engine.runUploads({ ignoreBackoff: true })).toMatchObject({ done: 0, waiting: 1 });
    network.setMetered(false);
    expect(await d.engine.runUploads({ ignoreBackoff: true })).toMatchObject({ done: 1 });

    const other = await d.tasks.create({ title: 'detached' });
    const detached = await d.tasks.attach(other.id, FILE_FIELD, randomBytes(10), { contentType: 'image/jpeg' });
    await d.tasks.update(other.id, { [FILE_FIELD]: null });
    await d.engine.sync();
    // Nothing refers to the detached upload any more: dropped, never uploaded, its copy released.
    const ticketsBefore = d.transport.tickets.length;
    expect(await d.engine.runUploads({ ignoreBackoff: true })).toMatchObject({ done: 0, failed: 0 });
    expect(d.transport.tickets.length).toBe(ticketsBefore);
    expect((await d.engine.listUploads()).map((u) => u.id)).not.toContain(detached.id);
    expect(existsSync(detached.localRef)).toBe(false);
    const records = await server.records(tenant, 'Task');
    expect(records.map((r) => [r.title, r[FILE_FIELD]]).sort()).toEqual([
      ['detached', null],
      ['metered', stubKey(tenant, upload.id)],
    ]);
  });

  it('attach checks the field, maxBytes and accept before writing anything; a second attach replaces an unfinished upload', async () => {
    const tenant = newTenant();
    const d = device(tenant, { network: new ManualNetwork(false) });
    const task = await d.tasks.create({ title: 'limits' });
    await expect(d.tasks.attach(task.id, 'title', randomBytes(10))).rejects.toThrow(LocalWriteError);
    await expect(d.tasks.attach(task.id, FILE_FIELD, randomBytes(9 * MB), { contentType: 'image/png' })).rejects.toThrow(
      `file '${FILE_FIELD}': 9437184 bytes is over the limit of 8388608`,
    );
    await expect(d.tasks.attach(task.id, FILE_FIELD, randomBytes(10), { contentType: 'text/html' })).rejects.toThrow(
      'content type text/html is not one of image/*, application/octet-stream',
    );
    expect(await d.engine.listUploads()).toEqual([]);
    const first = await d.tasks.attach(task.id, FILE_FIELD, randomBytes(10), { contentType: 'image/png' });
    const second = await d.tasks.attach(task.id, FILE_FIELD, randomBytes(20), { contentType: 'image/png' });
    expect((await d.engine.listUploads()).map((u) => u.id)).toEqual([second.id]);
    expect(existsSync(first.localRef)).toBe(false);
    // One queued insert holds the latest placeholder.
    expect((await listQueue(d.database)).map((e) => [e.operation, e.payload[FILE_FIELD]])).toEqual([['insert', `upload:${second.id}`]]);
  });

  it('wipe and force sync export unfinished uploads first and drop their rows, leaving the local files', async () => {
    const tenant = newTenant();
    const d = device(tenant, { network: new ManualNetwork(true) });
    const task = await d.tasks.create({ title: 'wiped' });
    const upload = await d.tasks.attach(task.id, FILE_FIELD, randomBytes(10), { contentType: 'image/png' });
    const exported = await d.engine.forceSyncFromServer();
    expect(exported.uploads).toMatchObject([{ id: upload.id, entity: 'Task', entityId: task.id, field: FILE_FIELD, status: 'pending' }]);
    expect(await d.engine.listUploads()).toEqual([]);
    expect(existsSync(upload.localRef)).toBe(true);

    const space = await createAdapters({ database: d.database, scopeValue: tenant }).space.create({ name: 'trip' });
    const inSpace = await d.tasks.create({ title: 'in space', spaceId: space.id });
    const kept = await d.tasks.create({ title: 'elsewhere' });
    const wiped = await d.tasks.attach(inSpace.id, FILE_FIELD, randomBytes(10), { contentType: 'image/png' });
    const other = await d.tasks.attach(kept.id, FILE_FIELD, randomBytes(10), { contentType: 'image/png' });
    const exportedWipe = await d.engine.wipeSpace(space.id);
    expect(exportedWipe.uploads.map((u) => u.id).sort()).toEqual([wiped.id, other.id].sort());
    expect((await d.engine.listUploads()).map((u) => u.id)).toEqual([other.id]);
    expect(existsSync(wiped.localRef)).toBe(true);
  });
});
