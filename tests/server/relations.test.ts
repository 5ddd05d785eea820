import { fileURLToPath } from 'node:url';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from '@nozbe/watermelondb';
import * as sqliteModule from '@nozbe/watermelondb/adapters/sqlite';
import { logger } from '@nozbe/watermelondb/utils/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../examples/trackhub-core/server/database';
import { interopDefault } from '../../runtime/client/interop';
import { GraphqlTransport, SyncEngine, listQueue, type WireRecord } from '../../runtime/client/index';
import { createAdapters, registry } from '../golden/relations/expected/client/index';
import { createResolvers, typeDefs } from '../golden/relations/expected/server';
import {
  migrations,
  modelClasses,
  schema,
  type Org,
  type Settings,
  type Space,
  type Task,
  type User,
} from '../golden/relations/expected/watermelon/index';
import { goldenSource, serveGolden, type GoldenServer } from './support/goldenServer';
import { pullAll } from '../client/support/server';
import { startPostgres, type PostgresServer } from '../support/postgres';

// The `relations` golden case end to end: generated WatermelonDB models, registry and
// client runtime on a device, the generated server over HTTP on SQLite and PostgreSQL.
// A tree (Space.parent / children), two relations to one model (assignee / reporter),
// a one-to-one and a cycle of keys (Org.settingsId <-> Settings.orgId), all created
// offline with local ids, pushed, and pulled onto a second device.

const SQLiteAdapter = interopDefault(sqliteModule) as unknown as typeof sqliteModule.default;
logger.silence();
const _golden = (path: string) => fileURLToPath(new URL(`../golden/relations/${path}`, import.meta.url));
const source = goldenSource('relations');

function device(url: string, tenant: string) {
  const database = new Database({ adapter: new SQLiteAdapter({ schema, migrations, dbName: ':memory:', jsi: false }), modelClasses });
  const transport = new GraphqlTransport({ url, headers: () => ({ 'x-tenant': tenant }) });
  const engine = new SyncEngine({ database, registry, transport, intervalMs: 0, backoff: { initialMs: 1, maxMs: 5 } });
  return { database, transport, engine, adapters: createAdapters({ database, scopeValue: tenant }) };
}

const byId = (records: WireRecord[]) => new Map(records.map((r) => [String(r.id), r]));

describe.each(['sqlite', 'postgresql'] as const)('relations golden case on %s', (provider) => {
  let pg: PostgresServer | undefined;
  let served: GoldenServer;
  let dir: string | undefined;
  beforeAll(async () => {
    if (provider === 'postgresql') {
      pg = await startPostgres();
      served = await serveGolden(await openDatabase({ url: await pg.createDatabase('relations') }, source), { typeDefs, createResolvers });
    } else {
      dir = mkdtempSync(join(tmpdir(), 'trackhub-relations-'));
      served = await serveGolden(await openDatabase({ file: join(dir, 'server.db') }, source), { typeDefs, createResolvers });
    }
  }, 240_000);
  afterAll(async () => {
    await served?.close();
    pg?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('pushes a tree, two relations to one model, a one-to-one and a cycle created offline, and pulls them back', async () => {
    const tenant = `rel-${provider}-${process.pid}`;
    const a = device(served.url, tenant);
    const root = await a.adapters.space.create({ name: 'root', visibility: 'PRIVATE' });
    const child = await a.adapters.space.create({ name: 'child', parentId: root.id });
    const grandchild = await a.adapters.space.create({ name: 'grandchild', parentId: child.id });
    const alice = await a.adapters.user.create({ email: 'alice@example.com' });
    const bob = await a.adapters.user.create({ email: 'bob@example.com' });
    await a.adapters.profile.create({ userId: alice.id, bio: 'hi' });
    const list = await a.adapters.taskCollection.create({ title: 'inbox' });
    const task = await a.adapters.task.create({
      title: 't',
      table: 'kitchen',
      spaceId: child.id,
      assigneeId: alice.id,
      reporterId: bob.id,
      collectionId: list.id,
    });
    // The cycle: Org first (no settings yet), Settings pointing at it, then Org pointing back.
    const org = await a.adapters.org.create({ name: 'acme' });
    const settings = await a.adapters.settings.create({ theme: 'dark', orgId: org.id });
    await a.adapters.org.update(org.id, { settingsId: settings.id });
    await a.adapters.model.create({ name: 'Model T' });

    const report = await a.engine.sync();
    expect(report.error).toBeNull();
    expect(await listQueue(a.database)).toEqual([]);

    const t = new GraphqlTransport({ url: served.url, headers: () => ({ 'x-tenant': tenant }) });
    const serverId = (record: { serverId: string | null }) => record.serverId!;
    const spaces = byId(await pullAll(t, 'Space'));
    expect(spaces.get(serverId(child))!.parentId).toBe(serverId(root));
    expect(spaces.get(serverId(grandchild))!.parentId).toBe(serverId(child));
    // Mapped enum (@@map) and values (@map): the database holds the mapped value, the wire the schema value.
    expect(spaces.get(serverId(root))!.visibility).toBe('PRIVATE');
    expect(spaces.get(serverId(child))!.visibility).toBe('OPEN');
    const stored = await served.db.prisma.$queryRawUnsafe<{ visibility: string }[]>(
      provider === 'postgresql'
        ? `SELECT "visibility"::text AS visibility FROM "Space" WHERE "id" = $1`
        : `SELECT "visibility" FROM "Space" WHERE "id" = ?`,
      serverId(root),
    );
    expect(stored).toEqual([{ visibility: 'private' }]);
    const [onServerTask] = await pullAll(t, 'Task');
    // A required @updatedAt column other than the base field: stamped by the server's SQL.
    expect(Date.parse(String(onServerTask!.touchedAt))).toBeGreaterThan(Date.now() - 600_000);
    expect(onServerTask).toMatchObject({
      assigneeId: serverId(alice),
      reporterId: serverId(bob),
      spaceId: serverId(child),
      collectionId: serverId(list),
      table: 'kitchen',
    });
    const [onServerOrg] = await pullAll(t, 'Org');
    const [onServerSettings] = await pullAll(t, 'Settings');
    expect(onServerOrg!.settingsId).toBe(serverId(settings));
    expect(onServerSettings!.orgId).toBe(serverId(org));
    expect(task.tableField).toBe('kitchen');

    // A second device pulls everything: keys become its local ids, relations resolve.
    const b = device(served.url, tenant);
    expect((await b.engine.sync()).error).toBeNull();
    const bSpaces = await b.database.get<Space>('spaces').query().fetch();
    const bRoot = bSpaces.find((s) => s.name === 'root')!;
    const bChild = bSpaces.find((s) => s.name === 'child')!;
    expect((await bRoot.children.fetch()).map((s) => s.name)).toEqual(['child']);
    expect((await bChild.parent.fetch())?.name).toBe('root');
    const bAlice = (await b.database.get<User>('users').query().fetch()).find((u) => u.email === 'alice@example.com')!;
    expect((await bAlice.assigned.fetch()).map((x) => x.title)).toEqual(['t']);
    expect(await bAlice.reported.fetchCount()).toBe(0);
    expect((await bAlice.profile.fetch()).map((p) => p.bio)).toEqual(['hi']);
    const [bTask] = await b.database.get<Task>('tasks').query().fetch();
    expect((await bTask!.reporter.fetch())?.email).toBe('bob@example.com');
    expect((await bTask!.collectionRelation.fetch())?.title).toBe('inbox');
    const [bOrg] = await b.database.get<Org>('orgs').query().fetch();
    const bSettings = await bOrg!.settings.fetch();
    expect(bSettings?.theme).toBe('dark');
    expect((await (bSettings as Settings).org.fetch())?.name).toBe('acme');
  }, 120_000);
});
