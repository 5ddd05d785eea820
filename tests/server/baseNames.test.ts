import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Database } from '@nozbe/watermelondb';
import * as sqliteModule from '@nozbe/watermelondb/adapters/sqlite';
import { logger } from '@nozbe/watermelondb/utils/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type ExampleDatabase } from '../../examples/trackhub-core/server/database';
import { interopDefault } from '../../runtime/client/interop';
import { GraphqlTransport, SyncEngine, listConflicts, listQueue } from '../../runtime/client/index';
import { createAdapters, registry } from '../golden/base-names/expected/client/index';
import { createResolvers, typeDefs } from '../golden/base-names/expected/server';
import { migrations, modelClasses, schema } from '../golden/base-names/expected/watermelon/index';
import { pullAll } from '../client/support/server';
import { goldenSource, serveGolden } from './support/goldenServer';

// The `base-names` golden case end to end: base fields under the schema's own
// names (rowVersion plays version, archivedAt deletedAt, orgId the scope; on Doc
// also modifiedAt / localId), beside user fields named `version` and `deletedAt`.
// Generated WatermelonDB models and client runtime on devices (SQLite adapter),
// the generated server over graphql-yoga on Prisma + SQLite: create, update,
// delete and a conflict, all through the renamed columns and wire keys.

const SQLiteAdapter = interopDefault(sqliteModule) as unknown as typeof sqliteModule.default;
logger.silence();
const _golden = (path: string) => fileURLToPath(new URL(`../golden/base-names/${path}`, import.meta.url));
const source = goldenSource('base-names');

describe('renamed base fields', () => {
  let dir: string;
  let db: ExampleDatabase;
  let url: string;
  let close: () => Promise<void>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'trackhub-base-names-'));
    db = await openDatabase({ file: join(dir, 'server.db') }, source);
    ({ url, close } = await serveGolden(db, { typeDefs, createResolvers }));
  }, 240_000);
  afterAll(async () => {
    await close?.();
    rmSync(dir, { recursive: true, force: true });
  });

  const tenant = `names-${process.pid}`;
  const device = () => {
    const database = new Database({ adapter: new SQLiteAdapter({ schema, migrations, dbName: ':memory:', jsi: false }), modelClasses });
    const transport = new GraphqlTransport({ url, headers: () => ({ 'x-tenant': tenant }) });
    const engine = new SyncEngine({ database, registry, transport, intervalMs: 0, backoff: { initialMs: 1, maxMs: 5 } });
    return { database, engine, adapters: createAdapters({ database, scopeValue: tenant }) };
  };
  const transport = () => new GraphqlTransport({ url, headers: () => ({ 'x-tenant': tenant }) });

  it('creates, updates, deletes and resolves a conflict through the renamed fields', async () => {
    const a = device();
    const doc = await a.adapters.doc.create({ body: 'draft' });
    const note = await a.adapters.note.create({ title: 'n1', version: 'v2.1', deletedAt: 'never', docId: doc.id });
    const gone = await a.adapters.note.create({ title: 'n2' });
    expect((await a.engine.sync()).error).toBeNull();
    expect(await listQueue(a.database)).toEqual([]);

    // The server stored the base fields under their schema names, the user fields as sent.
    const notes = new Map((await pullAll(transport(), 'Note')).map((n) => [String(n.title), n]));
    const pulledDoc = (await pullAll(transport(), 'Doc'))[0]!;
    expect(notes.get('n1')).toMatchObject({ rowVersion: 1, archivedAt: null, version: 'v2.1', deletedAt: 'never', orgId: tenant, clientId: note.id });
    expect(notes.get('n1')!.docId).toBe(pulledDoc.id);
    expect(pulledDoc).toMatchObject({ rowVersion: 1, localId: doc.id, orgId: tenant, archivedAt: null });
    expect(typeof pulledDoc.modifiedAt).toBe('string');
    expect(pulledDoc).not.toHaveProperty('clientId');
    expect(note.rowVersion).toBe(1);
    expect(note.serverId).toBe(notes.get('n1')!.id);

    // Update and delete: versions bump on the server and come back under rowVersion / archivedAt.
    await a.adapters.note.update(note.id, { title: 'n1 edited', version: 'v3' });
    await a.adapters.note.delete(gone.id);
    expect((await a.engine.sync()).error).toBeNull();
    const b = device();
    expect((await b.engine.sync()).error).toBeNull();
    const onB = await b.adapters.note.query().fetch();
    expect(onB.map((n) => [n.title, n.version, n.rowVersion, n.deletedAt])).toEqual([['n1 edited', 'v3', 2, 'never']]);
    const stored = await db.prisma.$queryRawUnsafe<{ title: string; archivedAt: unknown; rowVersion: number }[]>(
      'SELECT "title", "archivedAt", "rowVersion" FROM "Note" ORDER BY "title"',
    );
    expect(stored.map((r) => [r.title, r.archivedAt !== null, Number(r.rowVersion)])).toEqual([
      ['n1 edited', false, 2],
      ['n2', true, 2],
    ]);

    // A conflict (Doc is `manual`): both devices edit the same version; the second push conflicts.
    const docOnB = (await b.adapters.doc.query().fetch())[0]!;
    await a.adapters.doc.update(doc.id, { body: 'from A' });
    await b.adapters.doc.update(docOnB.id, { body: 'from B' });
    expect((await a.engine.sync()).error).toBeNull();
    await b.engine.sync();
    const [conflict] = await listConflicts(b.database);
    expect(conflict).toMatchObject({ entity: 'Doc', localVersion: 1, serverVersion: 2, conflictType: 'VERSION_MISMATCH' });
    expect(conflict!.serverData).toMatchObject({ body: 'from A', rowVersion: 2, localId: doc.id });
    const diff = await b.engine.conflictDiff(conflict!.id);
    expect(diff.fields.map((f) => f.field)).toEqual(['body']);
    expect(diff.deletedOnServer).toBe(false);
    await b.engine.resolveConflict(conflict!.id, { kind: 'keepLocal' });
    expect((await b.engine.sync()).error).toBeNull();
    expect(await listQueue(b.database)).toEqual([]);
    expect((await pullAll(transport(), 'Doc'))[0]).toMatchObject({ body: 'from B', rowVersion: 3 });
    expect((await a.engine.sync()).error).toBeNull();
    const docOnA = (await a.adapters.doc.query().fetch())[0]!;
    expect([docOnA.body, docOnA.rowVersion]).toEqual(['from B', 3]);
  }, 120_000);

  it('refuses a client value for a renamed server-set field, and accepts the user field of the old name', async () => {
    const updatedAt = new Date().toISOString();
    const items = [
      { opId: 'op-1', op: 'create' as const, clientId: 'c-1', updatedAt, data: { title: 'x', version: 'user value', rowVersion: 99 } },
      { opId: 'op-2', op: 'create' as const, clientId: 'c-2', updatedAt, data: { title: 'y', clientId: 'other' } },
    ];
    const results = await transport().push({ entity: 'Note', items });
    expect(results.map((r) => [r.success, r.version, r.errorCode])).toEqual([
      [true, 1, null],
      [false, null, 'VALIDATION'],
    ]);
    const created = (await pullAll(transport(), 'Note')).find((n) => n.title === 'x')!;
    expect(created).toMatchObject({ version: 'user value', rowVersion: 1 });
  });
});
