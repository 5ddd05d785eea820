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
import { GraphqlTransport, SyncEngine, listQueue } from '../../runtime/client/index';
import { createAdapters, registry } from '../golden/sdl-relations/expected/client/index';
import { createResolvers, entities, typeDefs } from '../golden/sdl-relations/expected/server';
import { migrations, modelClasses, schema } from '../golden/sdl-relations/expected/watermelon/index';
import { pullAll } from '../client/support/server';
import { goldenSource, serveGolden } from './support/goldenServer';

// An SDL-only project (the `sdl-relations` golden case: GraphQL types in three
// files, no Prisma schema, no syncSeq written anywhere): its server runs on the
// generated server/prisma/models.prisma + sync.prisma, starts, and syncs a
// device's offline writes over HTTP.

const SQLiteAdapter = interopDefault(sqliteModule) as unknown as typeof sqliteModule.default;
logger.silence();
const _golden = (path: string) => fileURLToPath(new URL(`../golden/sdl-relations/${path}`, import.meta.url));
const source = goldenSource('sdl-relations', ['expected/server/prisma/models.prisma']);

describe('an SDL-only project', () => {
  let dir: string;
  let db: ExampleDatabase;
  let url: string;
  let close: () => Promise<void>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'trackhub-sdl-only-'));
    db = await openDatabase({ file: join(dir, 'server.db') }, source);
    ({ url, close } = await serveGolden(db, { typeDefs, createResolvers }));
  }, 240_000);
  afterAll(async () => {
    await close?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it('has the change sequence implied on every synced type', () => {
    expect(Object.values(entities).map(({ descriptor }) => [descriptor.name, descriptor.sequence])).toEqual([
      ['Workspace', { field: 'syncSeq' }],
      ['Project', { field: 'syncSeq' }],
      ['Member', { field: 'syncSeq' }],
      ['Label', { field: 'syncSeq' }],
    ]);
  });

  it('serves: offline writes push, pull back on another device, and an update and a delete follow', async () => {
    const tenant = `sdl-${process.pid}`;
    const device = () => {
      const database = new Database({ adapter: new SQLiteAdapter({ schema, migrations, dbName: ':memory:', jsi: false }), modelClasses });
      const transport = new GraphqlTransport({ url, headers: () => ({ 'x-tenant': tenant }) });
      const engine = new SyncEngine({ database, registry, transport, intervalMs: 0, backoff: { initialMs: 1, maxMs: 5 } });
      return { database, engine, adapters: createAdapters({ database, scopeValue: tenant }) };
    };
    const a = device();
    const workspace = await a.adapters.workspace.create({ name: 'acme', homepage: 'https://acme.test' });
    const lead = await a.adapters.member.create({ name: 'ada' });
    const root = await a.adapters.project.create({ title: 'root', state: 'OPEN', workspaceId: workspace.id, leadId: lead.id });
    await a.adapters.project.create({
      title: 'child',
      state: 'CLOSED',
      workspaceId: workspace.id,
      parentId: root.id,
      dueOn: new Date('2026-01-02T03:04:05.000Z'),
    });
    const label = await a.adapters.label.create({ text: 'urgent', workspaceId: workspace.id });
    const first = await a.engine.sync();
    expect(first.error).toBeNull();
    expect(await listQueue(a.database)).toEqual([]);

    const transport = new GraphqlTransport({ url, headers: () => ({ 'x-tenant': tenant }) });
    const projects = new Map((await pullAll(transport, 'Project')).map((p) => [String(p.title), p]));
    expect(projects.get('child')).toMatchObject({ parentId: projects.get('root')!.id, state: 'CLOSED', dueOn: '2026-01-02T03:04:05.000Z' });
    expect(projects.get('root')).toMatchObject({ leadId: lead.serverId, workspaceId: workspace.serverId, version: 1 });
    expect((await pullAll(transport, 'Project'))[0]).not.toHaveProperty('syncSeq');

    await a.adapters.project.update(root.id, { title: 'root v2' });
    await a.adapters.label.delete(label.id);
    expect((await a.engine.sync()).error).toBeNull();

    const b = device();
    expect((await b.engine.sync()).error).toBeNull();
    const onB = await b.adapters.project.query().fetch();
    expect(onB.map((p) => p.title).sort()).toEqual(['child', 'root v2']);
    expect(onB.find((p) => p.title === 'root v2')!.version).toBe(2);
    expect(await b.adapters.label.query().fetch()).toEqual([]);
    expect((await b.adapters.workspace.query().fetch()).map((w) => w.homepage)).toEqual(['https://acme.test']);
  }, 120_000);
});
