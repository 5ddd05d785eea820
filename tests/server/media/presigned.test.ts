import { randomBytes, randomUUID } from 'node:crypto';
import { presignedStorage } from 'trackhub-sync/runtime/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type ExampleDatabase } from '../../../examples/trackhub-core/server/database';
import { startPostgres, type PostgresServer } from '../../support/postgres';
import { item, tenant } from '../harness';
import { mediaSource, startMediaApi, startPutStore, type MediaApi, type PutStore, type Ticket } from './mediaServer';

// presignedStorage against a small real HTTP store with signed PUT / GET URLs
// (tests/server/media/mediaServer.ts), and push acceptance of file keys on
// PostgreSQL (docs/PROTOCOL.md "Media").

describe('file fields with presignedStorage on PostgreSQL', () => {
  let pg: PostgresServer;
  let db: ExampleDatabase;
  let store: PutStore;
  let api: MediaApi;

  beforeAll(async () => {
    pg = await startPostgres();
    db = await openDatabase({ url: await pg.createDatabase('media') }, mediaSource);
    store = await startPutStore();
    api = await startMediaApi(db, presignedStorage({ sign: store.sign, head: store.head }));
  });
  afterAll(async () => {
    await api?.close();
    await store?.close();
    await db?.close();
    await pg?.stop();
  });

  const ticketFor = async (t: string, size: number, uploadId = randomUUID()): Promise<Ticket> => {
    const result = await api.ticket(t, { entity: 'Expense', field: 'receiptKey', recordId: 'r', uploadId, size, contentType: 'application/pdf' });
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    return result.data!.syncUploadTicket;
  };
  const put = (ticket: Ticket, body: Buffer) =>
    fetch(ticket.url, { method: 'PUT', headers: Object.fromEntries(ticket.headers.map((h) => [h.name, h.value])), body: new Uint8Array(body) });
  const create = (fields: Record<string, unknown>) => item('create', { data: { title: 'Taxi', ...fields } });

  it('a presigned PUT, then a push with the key is accepted and the object reads back', async () => {
    const a = tenant('put-a');
    const uploadId = randomUUID();
    const ticket = await ticketFor(a, 2048, uploadId);
    expect(ticket).toMatchObject({
      method: 'put',
      key: `t/${encodeURIComponent(a)}/${uploadId}`,
      headers: [{ name: 'content-type', value: 'application/pdf' }],
    });
    expect((await ticketFor(a, 2048, uploadId)).key).toBe(ticket.key);
    const body = randomBytes(2048);
    expect((await put(ticket, body)).status).toBe(200);

    const [created] = await api.push([create({ receiptKey: ticket.key })], a);
    expect(created, created!.errorMessage ?? '').toMatchObject({ success: true });
    const read = await api.gql<{ syncFileUrl: { url: string } }>('query($key: String!) { syncFileUrl(key: $key) { url } }', { key: ticket.key }, a);
    const response = await fetch(read.data!.syncFileUrl.url);
    expect(Buffer.from(await response.arrayBuffer()).equals(body)).toBe(true);
  });

  it('refuses never-uploaded keys (VALIDATION), keys of other tenants and invented ones (FORBIDDEN); the rest of the batch lands', async () => {
    const a = tenant('put-owner');
    const b = tenant('put-other');
    const never = await ticketFor(a, 10);
    const uploaded = await ticketFor(a, 10);
    expect((await put(uploaded, randomBytes(10))).status).toBe(200);

    const mine = await api.push(
      [create({ receiptKey: never.key }), create({ receiptKey: uploaded.key }), create({ receiptKey: 'uploads/whatever.pdf' })],
      a,
    );
    expect(mine.map((r) => [r.success, r.errorCode, r.errorMessage])).toEqual([
      [false, 'VALIDATION', "file 'receiptKey': no such object"],
      [true, null, null],
      [false, 'FORBIDDEN', "file 'receiptKey': the key was not issued to your tenant"],
    ]);
    const theirs = await api.push([create({ receiptKey: uploaded.key }), create({ attachment: null })], b);
    expect(theirs.map((r) => [r.success, r.errorCode])).toEqual([
      [false, 'FORBIDDEN'],
      [true, null],
    ]);
    const read = await api.gql('query($key: String!) { syncFileUrl(key: $key) { url } }', { key: uploaded.key }, b);
    expect(read.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    // A tampered presigned URL is the store's to refuse.
    const forged = new URL(uploaded.url);
    forged.pathname = forged.pathname.replace(encodeURIComponent(encodeURIComponent(a)), encodeURIComponent(encodeURIComponent(b)));
    expect((await fetch(forged, { method: 'PUT', headers: { 'content-type': 'application/pdf' }, body: 'x' })).status).toBe(403);
  });
});
