import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from '@nozbe/watermelondb';
import { appSchema, tableSchema } from '@nozbe/watermelondb/Schema';
import { addColumns, schemaMigrations } from '@nozbe/watermelondb/Schema/migrations';
import * as sqliteModule from '@nozbe/watermelondb/adapters/sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { interopDefault } from '../../runtime/client/interop';
import { ManualNetwork, SyncEngine, defineRegistry, listQueue } from '../../runtime/client/index';
import { createAdapters } from '../../examples/trackhub-core/generated/client/index';
import { modelClasses, schema } from '../../examples/trackhub-core/generated/watermelon/index';
import { deviceRecords } from './support/compare';
import { faultyFetch } from './support/faults';
import { openDevice, registry, type Device } from './support/device';
import { startTestServer, type TestServer } from './support/server';

// End to end: generated adapters and the client engine on real WatermelonDB
// (SQLite adapter) per device, against the real generated server (graphql-yoga
// over HTTP on 127.0.0.1, resolvers over Prisma on SQLite). The design's testing matrix.

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

let tenantCounter = 0;
const newTenant = () => `t${process.pid}x${++tenantCounter}`;
function device(name: string, tenantId: string, network?: ManualNetwork, extra: { pullLimit?: number } = {}): Device {
  return openDevice(name, { tenantId, transport: server.transport(tenantId), platform: network ? { network } : undefined, ...extra });
}

async function expectConverged(tenant: string, entity: string, ...devices: Device[]) {
  const onServer = await server.records(tenant, entity);
  for (const d of devices) expect(await deviceRecords(d, entity), `${d.name} ${entity}`).toEqual(onServer);
  return onServer;
}

async function syncOk(d: Device) {
  const report = await d.engine.sync();
  expect(report.error, `${d.name} sync`).toBeNull();
  return report;
}

/** Two devices of a new tenant edit one Task's title concurrently (manual strategy): B holds an open conflict. */
async function titleConflict(bChanges: Record<string, unknown> = { title: 'B title' }) {
  const tenant = newTenant();
  const a = device('A', tenant);
  const b = device('B', tenant);
  const task = await a.adapters.task.create({ title: 'plan' });
  await syncOk(a);
  await syncOk(b);
  await a.adapters.task.update(task.id, { title: 'A title' });
  await b.adapters.task.update(task.serverId!, bChanges);
  await syncOk(a);
  await syncOk(b);
  return { tenant, a, b, task };
}

describe('client engine against the real server', () => {
  it('offline create of 10 items, then online: no duplicates, server ids stored', async () => {
    const tenant = newTenant();
    const network = new ManualNetwork(false);
    const a = device('A', tenant, network);
    for (let i = 0; i < 10; i++) await a.adapters.space.create({ name: `offline ${i}` });
    expect((await a.engine.sync()).error).toBe('offline');
    expect(a.engine.status.value).toMatchObject({ state: 'offline', pending: 10 });
    network.set(true);
    await syncOk(a);
    await syncOk(a); // a second sync sends nothing new
    const onServer = await expectConverged(tenant, 'Space', a);
    expect(onServer).toHaveLength(10);
    expect(new Set(onServer.map((r) => r.name)).size).toBe(10);
    expect(await listQueue(a.database)).toEqual([]);
    expect(a.engine.status.value).toMatchObject({ state: 'idle', pending: 0, conflicts: 0 });
    const b = device('B', tenant);
    await syncOk(b);
    await expectConverged(tenant, 'Space', a, b);
  });

  it('network regained triggers a sync', async () => {
    const tenant = newTenant();
    const network = new ManualNetwork(false);
    const a = device('A', tenant, network);
    a.engine.start();
    await a.engine.idle();
    await a.adapters.space.create({ name: 'queued while offline' });
    network.set(true);
    await a.engine.idle();
    a.engine.stop();
    expect(await server.records(tenant, 'Space')).toHaveLength(1);
  });

  it('every value type round-trips device → server → device exactly', async () => {
    const tenant = newTenant();
    const a = device('A', tenant);
    const values = {
      title: '  spaced ✈ title  ',
      done: true,
      priority: 'HIGH' as const,
      dueAt: new Date('2025-11-05T09:12:34.567Z'),
      // Exact within 15 significant digits: Prisma keeps SQLite Decimals as REAL (reported), PostgreSQL is exact.
      estimate: '1234567.891',
      bigCount: '9223372036854775807',
      attachment: Buffer.from([0, 1, 2, 253, 254, 255]).toString('base64'),
      ratio: 0.1 + 0.2,
      status: 'PUBLIC' as const,
    };
    const space = await a.adapters.space.create({ name: 'json', settings: { nested: { list: [1, 'x', true, null] }, n: 1.5 } });
    await a.adapters.task.create({ ...values, spaceId: space.id });
    await syncOk(a);
    const b = device('B', tenant);
    await syncOk(b);
    const task = (await b.adapters.task.query().fetch())[0]!;
    expect({ ...Object.fromEntries(Object.keys(values).map((k) => [k, (task as unknown as Record<string, unknown>)[k]])) }).toEqual(values);
    expect((await b.adapters.space.query().fetch())[0]!.settings).toEqual({ nested: { list: [1, 'x', true, null] }, n: 1.5 });
    await expectConverged(tenant, 'Task', a, b);
  });

  it('two tenants sync with no cross-tenant data', async () => {
    const [t1, t2] = [newTenant(), newTenant()];
    const a = device('A', t1);
    const b = device('B', t2);
    await a.adapters.space.create({ name: 'tenant one' });
    await b.adapters.space.create({ name: 'tenant two' });
    await syncOk(a);
    await syncOk(b);
    await syncOk(a);
    expect((await deviceRecords(a, 'Space')).map((r) => r.name)).toEqual(['tenant one']);
    expect((await deviceRecords(b, 'Space')).map((r) => r.name)).toEqual(['tenant two']);
    expect((await server.records(t1, 'Space')).every((r) => r.tenantId === t1)).toBe(true);
    await expectConverged(t2, 'Space', b);
  });

  it('lastWriteWins: the later edit wins on both devices; an older edit is settled in the server’s favour', async () => {
    const tenant = newTenant();
    const a = device('A', tenant);
    const b = device('B', tenant);
    const space = await a.adapters.space.create({ name: 'v0' });
    await syncOk(a);
    await syncOk(b);
    const idOnB = space.serverId!;
    await b.adapters.space.update(idOnB, { name: 'B early' });
    await new Promise((r) => setTimeout(r, 5));
    await a.adapters.space.update(space.id, { name: 'A later' });
    await syncOk(a);
    await syncOk(b); // B's edit is older than the server's: B takes the server's value
    await syncOk(a);
    const [record] = await expectConverged(tenant, 'Space', a, b);
    expect(record!.name).toBe('A later');
    expect(b.engine.status.value.conflicts).toBe(0);
    const audit = await b.engine.listConflicts();
    expect(audit).toEqual([]);
  });

  it('serverMerge: counters add up, lists merge, a manual field both sides changed becomes a conflict resolved by merge', async () => {
    const tenant = newTenant();
    const a = device('A', tenant);
    const b = device('B', tenant);
    const group = await a.adapters.group.create({ name: 'g', score: 10, labels: ['x'], history: ['created'], owner: 'ann' });
    await syncOk(a);
    await syncOk(b);
    await a.adapters.group.update(group.id, { score: 12, labels: ['x', 'a'], history: ['created', 'by A'], owner: 'alice' });
    await b.adapters.group.update(group.serverId!, { score: 13, labels: ['x', 'b'], history: ['created', 'by B'], owner: 'bob' });
    await syncOk(a);
    await syncOk(b);
    const [conflict] = await b.engine.listConflicts();
    expect(conflict).toMatchObject({ entity: 'Group', conflictType: 'FIELD_CONFLICT', serverData: expect.objectContaining({ owner: 'alice' }) });
    await b.engine.resolveConflict(conflict!.id, { kind: 'merge', data: { owner: 'alice+bob' } });
    await syncOk(b);
    await syncOk(a);
    const [record] = await expectConverged(tenant, 'Group', a, b);
    expect(record).toMatchObject({ owner: 'alice+bob', score: 15 });
    expect((record!.labels as string[]).sort()).toEqual(['a', 'b', 'x']);
    expect(record!.history).toEqual(['created', 'by A', 'by B']);
  });

  /** A Group both devices hold, then A's edit synced: B's next push of `owner` is a FIELD_CONFLICT. */
  async function groupOwnerConflict(bFetch?: typeof fetch) {
    const tenant = newTenant();
    const a = device('A', tenant);
    const b = openDevice('B', { tenantId: tenant, transport: server.transport(tenant, bFetch) });
    const group = await a.adapters.group.create({ name: 'g', score: 10, labels: ['x'], history: ['created'], owner: 'ann' });
    await syncOk(a);
    await syncOk(b);
    await a.adapters.group.update(group.id, { score: 12, labels: ['x', 'a'], history: ['created', 'by A'], owner: 'alice' });
    await syncOk(a);
    return { tenant, a, b, group };
  }

  it('serverMerge: a merge resolution keeps the increments queued while the refused push was in flight and those made after the refusal', async () => {
    const faults = faultyFetch({ only: 'syncPush' });
    const { tenant, a, b, group } = await groupOwnerConflict(faults.fetch);
    const id = group.serverId!;
    await b.adapters.group.update(id, { score: 13, labels: ['x', 'b1'], history: ['created', 'by B1'], owner: 'bob' });
    // The server refuses it (owner) but the answer is lost: the entry may be committed, so B's next
    // edit queues behind it instead of folding in.
    faults.next.push('dropResponse');
    await b.engine.sync();
    expect(faults.log).toEqual(['dropResponse']);
    expect(await listQueue(b.database)).toMatchObject([{ entity: 'Group', status: 'pending', attempts: 1 }]);
    await b.adapters.group.update(id, { score: 14, labels: ['x', 'b1', 'b2'], history: ['created', 'by B1', 'by B2'] });
    await syncOk(b);
    const [conflict] = await b.engine.listConflicts();
    expect(conflict).toMatchObject({ conflictType: 'FIELD_CONFLICT' });
    // After the refusal, once more.
    await b.adapters.group.update(id, { score: 15, history: ['created', 'by B1', 'by B2', 'by B3'] });
    await b.engine.resolveConflict(conflict!.id, { kind: 'merge', data: { owner: 'alice+bob' } });
    await syncOk(b);
    await syncOk(a);
    const [record] = await expectConverged(tenant, 'Group', a, b);
    // 10, +2 by A, +3 +1 +1 by B: every increment counted once, every append and addition kept.
    expect(record).toMatchObject({ owner: 'alice+bob', score: 17 });
    expect(record!.history).toEqual(['created', 'by A', 'by B1', 'by B2', 'by B3']);
    expect((record!.labels as string[]).sort()).toEqual(['a', 'b1', 'b2', 'x']);
  });

  it('serverMerge: a merge resolved after a pull brought a newer server record re-applies the refused increments to it', async () => {
    const { tenant, a, b, group } = await groupOwnerConflict();
    const id = group.serverId!;
    await b.adapters.group.update(id, { score: 13, labels: ['x', 'b'], history: ['created', 'by B'], owner: 'bob' });
    await syncOk(b);
    const [conflict] = await b.engine.listConflicts();
    // The server moves on while the conflict waits, and B pulls that: the suggestion is stale.
    await a.adapters.group.update(group.id, { score: 17, history: ['created', 'by A', 'by A again'] });
    await syncOk(a);
    await syncOk(b);
    expect((await listQueue(b.database))[0]!.serverSeen?.version).toBeGreaterThan(conflict!.serverVersion);
    await b.engine.resolveConflict(conflict!.id, { kind: 'merge', data: { owner: 'alice+bob' } });
    await syncOk(b);
    await syncOk(a);
    const [record] = await expectConverged(tenant, 'Group', a, b);
    expect(record).toMatchObject({ owner: 'alice+bob', score: 20 });
    expect(record!.history).toEqual(['created', 'by A', 'by A again', 'by B']);
    expect((record!.labels as string[]).sort()).toEqual(['a', 'b', 'x']);
  });

  it('manual: a concurrent edit is a conflict; keep-local and use-server each leave record and queue consistent', async () => {
    const { tenant, a, b, task } = await titleConflict({ title: 'B title', done: true });
    const [conflict] = await b.engine.listConflicts();
    expect(conflict).toMatchObject({ conflictType: 'VERSION_MISMATCH', localData: expect.objectContaining({ title: 'B title' }) });
    expect(b.engine.status.value.conflicts).toBe(1);
    expect((await b.adapters.task.find(task.serverId!))!.title).toBe('B title'); // never silently overwritten
    await b.engine.resolveConflict(conflict!.id, { kind: 'keepLocal' });
    await syncOk(b);
    await syncOk(a);
    const [kept] = await expectConverged(tenant, 'Task', a, b);
    expect(kept).toMatchObject({ title: 'B title', done: true });

    await a.adapters.task.update(task.id, { title: 'A again' });
    await b.adapters.task.update(task.serverId!, { title: 'B again' });
    await syncOk(a);
    await syncOk(b);
    const [second] = await b.engine.listConflicts();
    await b.engine.resolveConflict(second!.id, { kind: 'useServer' });
    expect(await listQueue(b.database)).toEqual([]);
    await syncOk(b);
    const [used] = await expectConverged(tenant, 'Task', a, b);
    expect(used!.title).toBe('A again');
  });

  it('merge keeps the edits made after the conflict was detected', async () => {
    const { tenant, a, b, task } = await titleConflict();
    const [conflict] = await b.engine.listConflicts();
    expect(conflict!.localData).toMatchObject({ title: 'B title', done: false });
    // Edited again while the conflict waits: not part of the conflict, so not the app's to re-enter.
    await b.adapters.task.update(task.serverId!, { done: true });
    await b.engine.resolveConflict(conflict!.id, { kind: 'merge', data: { title: 'A+B title' } });
    const local = (await b.adapters.task.find(task.serverId!))!;
    expect({ title: local.title, done: local.done }).toEqual({ title: 'A+B title', done: true });
    await syncOk(b);
    await syncOk(a);
    const [record] = await expectConverged(tenant, 'Task', a, b);
    expect(record).toMatchObject({ title: 'A+B title', done: true });
  });

  it('deleting a record with an open conflict settles the conflict and deletes it everywhere', async () => {
    const { tenant, a, b, task } = await titleConflict();
    expect(await b.engine.listConflicts()).toHaveLength(1);

    await b.adapters.task.delete(task.serverId!);
    expect(await b.engine.listConflicts()).toEqual([]);
    expect((await listQueue(b.database)).map((e) => e.operation)).toEqual(['delete']);
    await syncOk(b);
    expect(b.engine.status.value.conflicts).toBe(0);
    await syncOk(a);
    expect(await listQueue(b.database)).toEqual([]);
    expect(await server.records(tenant, 'Task')).toEqual([]);
    expect(await expectConverged(tenant, 'Task', a, b)).toEqual([]);
  });

  it('force sync from server drops local changes (exported first) and reloads', async () => {
    const tenant = newTenant();
    const a = device('A', tenant);
    await a.adapters.space.create({ name: 'kept' });
    await syncOk(a);
    const [space] = await a.adapters.space.query().fetch();
    await a.adapters.space.update(space!.id, { name: 'local edit' });
    await a.adapters.space.create({ name: 'never pushed' });
    const exported = await a.engine.forceSyncFromServer();
    expect(exported.queue.map((e) => e.operation).sort()).toEqual(['insert', 'update']);
    expect(JSON.parse(JSON.stringify(exported))).toEqual(exported);
    expect(await listQueue(a.database)).toEqual([]);
    const [record] = await expectConverged(tenant, 'Space', a);
    expect(record!.name).toBe('kept');
  });

  it('force push local makes local data win over a conflict', async () => {
    const tenant = newTenant();
    const a = device('A', tenant);
    const b = device('B', tenant);
    const task = await a.adapters.task.create({ title: 'x' });
    await syncOk(a);
    await syncOk(b);
    await a.adapters.task.update(task.id, { title: 'server side' });
    await syncOk(a);
    await b.adapters.task.update(task.serverId!, { title: 'mine' });
    await syncOk(b);
    expect(b.engine.status.value.conflicts).toBe(1);
    const report = await b.engine.forcePushLocal();
    expect(report.error).toBeNull();
    await syncOk(a);
    const [record] = await expectConverged(tenant, 'Task', a, b);
    expect(record!.title).toBe('mine');
  });

  it('create, update and delete offline, then sync', async () => {
    const tenant = newTenant();
    const network = new ManualNetwork(true);
    const a = device('A', tenant, network);
    const b = device('B', tenant);
    const synced = await a.adapters.space.create({ name: 'to delete' });
    const edited = await a.adapters.space.create({ name: 'to edit' });
    await syncOk(a);
    await syncOk(b);
    network.set(false);
    const fresh = await a.adapters.space.create({ name: 'new' });
    await a.adapters.space.update(fresh.id, { name: 'new, edited' });
    const gone = await a.adapters.space.create({ name: 'ephemeral' });
    await a.adapters.space.delete(gone.id);
    await a.adapters.space.update(edited.id, { name: 'edited', description: 'offline' });
    await a.adapters.space.update(synced.id, { name: 'edited before delete' });
    await a.adapters.space.delete(synced.id);
    expect((await listQueue(a.database)).map((e) => e.operation).sort()).toEqual(['delete', 'insert', 'update']);
    network.set(true);
    await syncOk(a);
    await syncOk(b);
    const records = await expectConverged(tenant, 'Space', a, b);
    expect(records.map((r) => r.name).sort()).toEqual(['edited', 'new, edited']);
  });

  it('a parent and its children created offline together sync with server ids in foreign keys', async () => {
    const tenant = newTenant();
    const a = device('A', tenant, new ManualNetwork(true));
    const space = await a.adapters.space.create({ name: 'parent' });
    const task = await a.adapters.task.create({ title: 'child', spaceId: space.id });
    await a.adapters.comment.create({ body: 'grandchild', taskId: task.id });
    await syncOk(a);
    const spaces = await server.records(tenant, 'Space');
    const tasks = await server.records(tenant, 'Task');
    const comments = await server.records(tenant, 'Comment');
    expect(tasks[0]!.spaceId).toBe(spaces[0]!.id);
    expect(comments[0]!.taskId).toBe(tasks[0]!.id);
    const b = device('B', tenant);
    await syncOk(b);
    for (const entity of ['Space', 'Task', 'Comment']) await expectConverged(tenant, entity, a, b);
    const taskOnB = (await b.adapters.task.query().fetch())[0]!;
    expect((await taskOnB.space.fetch())!.name).toBe('parent');
  });

  it('a 10,000-change batch pushes and pulls completely', async () => {
    const tenant = newTenant();
    const a = device('A', tenant);
    await a.adapters.space.createMany(Array.from({ length: 10_000 }, (_, i) => ({ name: `bulk ${i}`, viewCount: i })));
    const report = await syncOk(a);
    expect(report.push).toMatchObject({ acknowledged: 10_000, conflicts: 0, failed: 0 });
    const b = device('B', tenant);
    const pulled = await syncOk(b);
    expect(pulled.pull.Space).toMatchObject({ created: 10_000 });
    expect(pulled.pull.Space!.pages).toBeGreaterThan(1);
    const onServer = await server.records(tenant, 'Space');
    expect(onServer).toHaveLength(10_000);
    expect(await deviceRecords(b, 'Space')).toEqual(onServer);
    expect(await deviceRecords(a, 'Space')).toEqual(onServer);
  }, 120_000);

  it('a migration that adds a column triggers a full re-pull of that entity', async () => {
    const tenant = newTenant();
    const a = device('A', tenant);
    await a.adapters.space.create({ name: 'described', description: 'hello' });
    await syncOk(a);

    // The app's previous release: schema version 1, without spaces.description.
    const SQLiteAdapter = interopDefault(sqliteModule) as unknown as typeof sqliteModule.default;
    const tables = Object.values(schema.tables);
    const v1 = appSchema({
      version: 1,
      tables: tables.map((t) =>
        tableSchema({ name: t.name, columns: t.columnArray.filter((c) => !(t.name === 'spaces' && c.name === 'description')) }),
      ),
    });
    const v2 = appSchema({ version: 2, tables: tables.map((t) => tableSchema({ name: t.name, columns: t.columnArray })) });
    const migrations = schemaMigrations({
      migrations: [{ toVersion: 2, steps: [addColumns({ table: 'spaces', columns: [{ name: 'description', type: 'string', isOptional: true }] })] }],
    });
    const oldRegistry = defineRegistry({
      entities: registry.entities.map((e) =>
        e.name === 'Space' ? { ...e, fields: e.fields.filter((f) => f.name !== 'description'), layoutHash: 'release-1' } : e,
      ),
    });
    const dir = mkdtempSync(join(tmpdir(), 'trackhub-migrate-'));
    try {
      const file = join(dir, 'trackhub_db_phone');
      const oldDb = new Database({ adapter: new SQLiteAdapter({ schema: v1, dbName: file, jsi: false }), modelClasses });
      const oldEngine = new SyncEngine({ database: oldDb, registry: oldRegistry, transport: server.transport(tenant), intervalMs: 0 });
      expect((await oldEngine.sync()).error).toBeNull();
      expect(await oldDb.get('spaces').query().fetchCount()).toBe(1);

      // The new release opens the same file: WatermelonDB runs the migration, the engine sees the new layout.
      const newDb = new Database({ adapter: new SQLiteAdapter({ schema: v2, migrations, dbName: file, jsi: false }), modelClasses });
      const engine = new SyncEngine({ database: newDb, registry, transport: server.transport(tenant), intervalMs: 0 });
      const report = await engine.sync();
      expect(report.error).toBeNull();
      expect(report.pull.Space).toMatchObject({ full: 'layout', updated: 1 });
      expect(report.pull.Task).toMatchObject({ full: 'no' });
      const adapters = createAdapters({ database: newDb, scopeValue: tenant });
      expect((await adapters.space.query().fetch())[0]!.description).toBe('hello');
      expect((await engine.sync()).pull.Space).toMatchObject({ full: 'no', pages: 1, updated: 0 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the status observable reports syncing with progress, then idle with counts and the last sync time', async () => {
    const tenant = newTenant();
    const a = device('A', tenant, undefined, { pullLimit: 100 });
    await a.adapters.space.createMany(Array.from({ length: 250 }, (_, i) => ({ name: `p${i}` })));
    const seen: { state: string; phase?: string; done?: number; pending: number }[] = [];
    const unsubscribe = a.engine.status.subscribe((s) =>
      seen.push({ state: s.state, phase: s.progress?.phase, done: s.progress?.done, pending: s.pending }),
    );
    await syncOk(a);
    unsubscribe();
    expect(seen.some((s) => s.state === 'syncing' && s.phase === 'push' && s.done === 250)).toBe(true);
    expect(seen.some((s) => s.state === 'syncing' && s.phase === 'pull' && s.done! >= 200)).toBe(true);
    expect(seen.at(-1)).toMatchObject({ state: 'idle', pending: 0 });
    expect(a.engine.status.value.lastSyncAt).toBeGreaterThan(0);
  });

  it('triggers: app open on start, the interval, coming to the foreground; one sync at a time per database', async () => {
    const tenant = newTenant();
    const timers = new ManualTimers();
    const foreground = new Set<() => void>();
    const a = openDevice('A', {
      tenantId: tenant,
      transport: server.transport(tenant),
      platform: {
        timers,
        appState: {
          onForeground: (l) => {
            foreground.add(l);
            return () => foreground.delete(l);
          },
        },
      },
    });
    const engine = new SyncEngine({
      database: a.database,
      registry,
      transport: server.transport(tenant),
      platform: {
        timers,
        appState: {
          onForeground: (l) => {
            foreground.add(l);
            return () => foreground.delete(l);
          },
        },
      },
    });
    const triggers: string[] = [];
    const original = engine.sync.bind(engine);
    engine.sync = (trigger) => {
      triggers.push(trigger ?? 'manual');
      return original(trigger);
    };
    engine.start();
    await engine.idle();
    expect(triggers).toEqual(['appOpen']);
    expect(timers.intervals.get(5 * 60_000)).toHaveLength(1); // default interval: 5 minutes
    await a.adapters.space.create({ name: 'via interval' });
    timers.fire(5 * 60_000);
    await engine.idle();
    expect(await server.records(tenant, 'Space')).toHaveLength(1);
    await a.adapters.space.create({ name: 'via foreground' });
    for (const l of foreground) l();
    await engine.idle();
    expect(await server.records(tenant, 'Space')).toHaveLength(2);
    // Concurrent requests share one follow-up run; never two syncs at once on one database.
    const [r1, r2, r3] = await Promise.all([engine.sync(), engine.sync(), a.engine.sync()]);
    expect(r1).toBe(r2);
    expect(r3.error).toBeNull();
    engine.stop();
    expect(timers.intervals.get(5 * 60_000)).toHaveLength(0);
    expect(foreground.size).toBe(0);
    expect(triggers.slice(0, 3)).toEqual(['appOpen', 'interval', 'appOpen']);
  });
});

/** Timers driven by the test: intervals fire on demand. */
class ManualTimers {
  intervals = new Map<number, (() => void)[]>();
  setTimeout(fn: () => void, ms: number) {
    return setTimeout(fn, ms);
  }
  clearTimeout(handle: unknown) {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  }
  setInterval(fn: () => void, ms: number) {
    this.intervals.set(ms, [...(this.intervals.get(ms) ?? []), fn]);
    return { ms, fn };
  }
  clearInterval(handle: unknown) {
    const { ms, fn } = handle as { ms: number; fn: () => void };
    this.intervals.set(
      ms,
      (this.intervals.get(ms) ?? []).filter((f) => f !== fn),
    );
  }
  fire(ms: number) {
    for (const fn of this.intervals.get(ms) ?? []) fn();
  }
}
