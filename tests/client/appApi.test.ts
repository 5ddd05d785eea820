import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database, type Model } from '@nozbe/watermelondb';
import { appSchema, tableSchema } from '@nozbe/watermelondb/Schema';
import { addColumns, schemaMigrations } from '@nozbe/watermelondb/Schema/migrations';
import { writer } from '@nozbe/watermelondb/decorators';
import * as sqliteModule from '@nozbe/watermelondb/adapters/sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { interopDefault } from '../../runtime/client/interop';
import {
  CheckpointError,
  SyncEngine,
  defineRegistry,
  type LocalSchemaInfo,
  type PullPage,
  type RecordSyncState,
  type Subscribable,
  type SyncEvent,
  type SyncTransport,
} from '../../runtime/client/index';
import type { OperationEvent } from '../../runtime/server/index';
import { migrations, modelClasses, schema, Space, type Task } from '../../examples/trackhub-core/generated/watermelon/index';
import { openDevice, registry, type Device } from './support/device';
import { startTestServer, type TestServer } from './support/server';

// The app-facing API (README "Client sync") on real WatermelonDB (SQLite adapter) against
// the real example server: plain WatermelonDB writes, per-record state, checkpoint, traces.

const SQLiteAdapter = interopDefault(sqliteModule) as unknown as typeof sqliteModule.default;

/** What WatermelonDB tutorials write: a model with a `@writer` method. */
class WriterSpace extends Space {
  @writer async rename(name: string): Promise<void> {
    await this.update((s) => {
      s.name = name;
    });
  }
}

function openWriterDatabase(): Database {
  const classes = [WriterSpace, ...modelClasses.filter((c) => c !== Space)] as (typeof Model)[];
  return new Database({ adapter: new SQLiteAdapter({ schema, migrations, dbName: ':memory:', jsi: false }), modelClasses: classes });
}

const operations: OperationEvent<unknown>[] = [];
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ onOperation: (event) => operations.push(event) });
});
afterAll(() => server?.close());

let tenantCounter = 0;
const newTenant = () => `api${process.pid}x${++tenantCounter}`;

function device(name: string, tenantId: string, transport?: SyncTransport, database?: Database): Device {
  return openDevice(name, { tenantId, transport: transport ?? server.transport(tenantId), database });
}

/** Resolves with the first value `source` emits that satisfies `test` (no sleeps: awaits the emission). */
function until<T>(source: Subscribable<T>, test: (value: T) => boolean): Promise<T> {
  return new Promise((resolve) => {
    let off: (() => void) | null = null;
    let done = false;
    off = source.subscribe((value) => {
      if (done || !test(value)) return;
      done = true;
      resolve(value);
      off?.();
    });
    if (done) off();
  });
}

/** A promise and its resolve function. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** Records every state change of one record (consecutive duplicates dropped by the engine). */
function recordStates(d: Device, entity: string, id: string): RecordSyncState[] {
  const states: RecordSyncState[] = [];
  d.engine.observeRecordSyncState(entity, id).subscribe((s) => states.push(s));
  return states;
}

describe('writes made the WatermelonDB way', () => {
  it('collection.create, record.update, @writer methods and markAsDeleted all reach the server', async () => {
    const tenant = newTenant();
    const database = openWriterDatabase();
    const a = device('A', tenant, undefined, database);
    const spaces = database.get<WriterSpace>('spaces');
    const tasks = database.get<Task>('tasks');
    const space = await database.write(() => spaces.create((s) => void (s.name = 'plain create')));
    const task = await database.write(() =>
      tasks.create((t) => {
        t.title = 'plain task';
        t.priority = 'HIGH';
        t.spaceId = space.id;
      }),
    );
    const doomed = await database.write(() => spaces.create((s) => void (s.name = 'to delete')));
    expect(await a.engine.recordSyncState('Space', space.id)).toBe('pending');
    expect((await a.engine.sync()).error).toBeNull();
    expect(await a.engine.listPending()).toEqual([]);
    let onServer = await server.records(tenant, 'Space');
    expect(onServer.map((r) => r.name).sort()).toEqual(['plain create', 'to delete']);
    const [serverTask] = await server.records(tenant, 'Task');
    expect(serverTask).toMatchObject({ title: 'plain task', priority: 'HIGH', spaceId: space.serverId, clientId: task.id });
    expect(await a.engine.recordSyncState('Space', space.id)).toBe('synced');

    // A @writer method and a plain update on synced records, and a markAsDeleted.
    await space.rename('renamed by @writer');
    await database.write(() => task.update((t) => void (t.done = true)));
    await database.write(() => doomed.markAsDeleted());
    expect(await a.engine.recordSyncState('Task', task.id)).toBe('pending');
    const events: SyncEvent[] = [];
    a.engine.events.subscribe((e) => events.push(e));
    expect((await a.engine.sync()).error).toBeNull();
    expect(events).toContainEqual({ type: 'adopted', inserts: 0, updates: 2, deletes: 1 });
    onServer = await server.records(tenant, 'Space');
    expect(onServer.map((r) => r.name)).toEqual(['renamed by @writer']);
    expect((await server.records(tenant, 'Task'))[0]).toMatchObject({ done: true, title: 'plain task' });

    // The engine's own writes (pull apply, push acknowledgements) are never taken for app writes.
    const b = device('B', tenant);
    await b.adapters.space.create({ name: 'from B' });
    expect((await b.engine.sync()).error).toBeNull();
    expect((await a.engine.sync()).error).toBeNull();
    expect(await a.engine.adopt()).toEqual({ inserts: 0, updates: 0, deletes: 0 });
    expect((await server.records(tenant, 'Space')).map((r) => r.name).sort()).toEqual(['from B', 'renamed by @writer']);
  });

  it('a plain create deleted before any sync leaves nothing to push; an adapter write adopts a plain one first', async () => {
    const tenant = newTenant();
    const database = openWriterDatabase();
    const a = device('A', tenant, undefined, database);
    const spaces = database.get<WriterSpace>('spaces');
    const gone = await database.write(() => spaces.create((s) => void (s.name = 'never synced')));
    await database.write(() => gone.markAsDeleted());
    expect(await a.engine.adopt()).toEqual({ inserts: 0, updates: 0, deletes: 1 });
    expect(await a.engine.listPending()).toEqual([]);
    expect(await database.adapter.getDeletedRecords('spaces')).toEqual([]);
    // A plain create, then an adapter update of the same record: adopted as an insert first,
    // into which the update folds (as into any unsent insert).
    const plain = await database.write(() => spaces.create((s) => void (s.name = 'plain')));
    await a.adapters.space.update(plain.id, { description: 'via adapter' });
    expect((await a.engine.listPending()).map((e) => [e.operation, e.payload.name, e.payload.description])).toEqual([
      ['insert', 'plain', 'via adapter'],
    ]);
    expect((await a.engine.sync()).error).toBeNull();
    expect(await server.records(tenant, 'Space')).toEqual([expect.objectContaining({ name: 'plain', description: 'via adapter' })]);
  });

  it('forceSyncFromServer exports a plain write before dropping it', async () => {
    const tenant = newTenant();
    const database = openWriterDatabase();
    const a = device('A', tenant, undefined, database);
    await database.write(() => database.get<Space>('spaces').create((s) => void (s.name = 'never pushed')));
    const exported = await a.engine.forceSyncFromServer();
    expect(exported.queue).toHaveLength(1);
    expect(exported.queue[0]).toMatchObject({ entity: 'Space', operation: 'insert', payload: expect.objectContaining({ name: 'never pushed' }) });
  });
});

describe('per-record sync state', () => {
  it('walks pending → sending → synced', async () => {
    const tenant = newTenant();
    const inner = server.transport(tenant);
    const release = gate();
    let holding = true;
    const a = device('A', tenant, {
      pull: (request) => inner.pull(request),
      // The first push waits until the test has seen the record as `sending`.
      push: async (request) => {
        if (holding) await release.promise;
        return inner.push(request);
      },
    });
    const space = await a.adapters.space.create({ name: 'watched' });
    const states = recordStates(a, 'Space', space.id);
    const watch = a.engine.observeRecordSyncState('Space', space.id);
    await until(watch, (s) => s === 'pending');
    const syncing = a.engine.sync();
    await until(watch, (s) => s === 'sending');
    holding = false;
    release.open();
    expect((await syncing).error).toBeNull();
    await until(watch, (s) => s === 'synced');
    expect(states).toEqual(['pending', 'sending', 'synced']);
  });

  it('walks pending → conflict → synced, per record and per query', async () => {
    const tenant = newTenant();
    const a = device('A', tenant);
    const b = device('B', tenant);
    const space = await a.adapters.space.create({ name: 's' });
    const task = await a.adapters.task.create({ title: 'v0', spaceId: space.id });
    const other = await a.adapters.task.create({ title: 'untouched', spaceId: space.id });
    await a.engine.sync();
    await b.engine.sync();
    // Task is `manual`: a stale update conflicts.
    await b.adapters.task.update(task.serverId!, { title: 'B wins the race' });
    await b.engine.sync();
    const states = recordStates(a, 'Task', task.id);
    const perQuery: ReadonlyMap<string, RecordSyncState>[] = [];
    a.engine.observeSyncStates('Task', () => [task.id, other.id]).subscribe((m) => perQuery.push(m));
    await a.adapters.task.update(task.id, { title: 'A is late' });
    const watch = a.engine.observeRecordSyncState('Task', task.id);
    await until(watch, (s) => s === 'pending');
    await a.engine.sync();
    await until(watch, (s) => s === 'conflict');
    expect(perQuery.at(-1)).toEqual(
      new Map([
        [task.id, 'conflict'],
        [other.id, 'synced'],
      ]),
    );
    // Per WatermelonDB query: the states of the records the query returns.
    const byQuery = await until(a.engine.observeQuerySyncStates('Task', a.adapters.task.query()), (m) => m.size === 2);
    expect(byQuery).toEqual(
      new Map([
        [task.id, 'conflict'],
        [other.id, 'synced'],
      ]),
    );
    const [conflict] = await a.engine.listConflicts();
    // The headless diff: only the field both sides changed, with its base, and the resolutions.
    const diff = await a.engine.conflictDiff(conflict!.id);
    expect(
      diff.fields.map(({ field, local, server, base, localChanged, serverChanged }) => ({ field, local, server, base, localChanged, serverChanged })),
    ).toEqual([{ field: 'title', local: 'A is late', server: 'B wins the race', base: 'v0', localChanged: true, serverChanged: true }]);
    expect(diff.deletedOnServer).toBe(false);
    await a.engine.resolveConflict(conflict!.id, diff.resolutions.keepLocal);
    await a.engine.sync();
    await until(watch, (s) => s === 'synced');
    expect(states.filter((s) => s !== 'sending')).toEqual(['synced', 'pending', 'conflict', 'pending', 'synced']);
    expect((await server.records(tenant, 'Task')).find((r) => r.id === task.serverId)).toMatchObject({ title: 'A is late' });
  });
});

describe('checkpoint', () => {
  it('resolves only after a server write made before the call is pulled, even while a sync is running', async () => {
    const tenant = newTenant();
    const inner = server.transport(tenant);
    const fetched = gate();
    const release = gate();
    let hold = false;
    const a = device('A', tenant, {
      push: (request) => inner.push(request),
      // While `hold` is set, a Space pull reads the server, then waits: a sync in flight whose pull
      // has already looked at the server when the concurrent write lands.
      pull: async (request): Promise<PullPage> => {
        const page = await inner.pull(request);
        if (hold && request.entity === 'Space') {
          hold = false;
          fetched.open();
          await release.promise;
        }
        return page;
      },
    });
    const b = device('B', tenant);
    await a.engine.sync();
    hold = true;
    const running = a.engine.sync();
    await fetched.promise;
    await b.adapters.space.create({ name: 'written on the server before the call' });
    await b.engine.sync();
    const mine = await a.adapters.space.create({ name: 'queued before the call' });
    const done = a.engine.checkpoint();
    release.open();
    // The sync that was running missed the write: waiting for it alone would not be enough.
    expect((await running).pull.Space).toMatchObject({ created: 0 });
    await done;
    const names = (await a.adapters.space.query().fetch()).map((s) => s.name).sort();
    expect(names).toEqual(['queued before the call', 'written on the server before the call']);
    expect(await a.engine.listPending()).toEqual([]);
    expect(await a.engine.recordSyncState('Space', mine.id)).toBe('synced');
  });

  it('rejects when a write queued before it needs a decision', async () => {
    const tenant = newTenant();
    const a = device('A', tenant);
    const b = device('B', tenant);
    const space = await a.adapters.space.create({ name: 's' });
    const task = await a.adapters.task.create({ title: 'v0', spaceId: space.id });
    await a.engine.checkpoint();
    await b.engine.checkpoint();
    await b.adapters.task.update(task.serverId!, { title: 'B' });
    await b.engine.checkpoint();
    await a.adapters.task.update(task.id, { title: 'A' });
    const error = await a.engine.checkpoint().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckpointError);
    expect((error as CheckpointError).entries.map((e) => e.status)).toEqual(['conflict']);
  });
});

describe('events and traces', () => {
  it('one operation id follows a write from the queue through the push to the server hook', async () => {
    const tenant = newTenant();
    // The typed per-entity operations are what travels (GraphqlTransport given the registry).
    const operationsSent: string[] = [];
    const spy: typeof fetch = (input, init) => {
      operationsSent.push(/(syncP\w+)\(/.exec(JSON.parse(String(init?.body)).query)![1]!);
      return fetch(input, init);
    };
    const a = device('A', tenant, server.transport(tenant, spy));
    const events: SyncEvent[] = [];
    a.engine.events.subscribe((e) => events.push(e));
    const space = await a.adapters.space.create({ name: 'traced' });
    const [entry] = await a.engine.listPending();
    const traceId = entry!.id;
    expect((await a.engine.sync()).error).toBeNull();
    const record = await a.adapters.space.find(space.id);
    const onServer = operations.filter((o) => o.opId === traceId);
    expect(onServer).toHaveLength(1);
    expect(onServer[0]).toMatchObject({ entity: 'Space', op: 'create', auth: { tenantId: tenant }, result: { success: true, id: record!.serverId } });
    expect(events[0]).toMatchObject({ type: 'syncStart', trigger: 'manual' });
    expect(events).toContainEqual(expect.objectContaining({ type: 'pushBatch', entity: 'Space', opIds: [traceId], acknowledged: 1, error: null }));
    expect(events).toContainEqual(expect.objectContaining({ type: 'resync', entity: 'Space', reason: 'first' }));
    expect(events.at(-1)).toMatchObject({ type: 'syncFinish', ok: true, acknowledged: 1, conflicts: 0, failed: 0, pulled: 1 });
    expect(operationsSent).toEqual(['syncPushSpace', 'syncPullSpace', 'syncPullGroup', 'syncPullTask', 'syncPullComment', 'syncPullLabel']);
  });
});

describe('re-pull after a migration', () => {
  it('is driven by the generated repullAfterMigration map, not by the layout hash', async () => {
    const tenant = newTenant();
    const seed = device('seed', tenant);
    const space = await seed.adapters.space.create({ name: 'with description', description: 'hello' });
    await seed.adapters.task.create({ title: 't', spaceId: space.id });
    await seed.engine.sync();

    // Release 1: schema version 1 without spaces.description; release 2 adds the column.
    const tables = Object.values(schema.tables);
    const v1 = appSchema({
      version: 1,
      tables: tables.map((t) =>
        tableSchema({ name: t.name, columns: t.columnArray.filter((c) => !(t.name === 'spaces' && c.name === 'description')) }),
      ),
    });
    const v2 = appSchema({ version: 2, tables: tables.map((t) => tableSchema({ name: t.name, columns: t.columnArray })) });
    const toV2 = schemaMigrations({
      migrations: [{ toVersion: 2, steps: [addColumns({ table: 'spaces', columns: [{ name: 'description', type: 'string', isOptional: true }] })] }],
    });
    const oldRegistry = defineRegistry({
      entities: registry.entities.map((e) =>
        e.name === 'Space' ? { ...e, fields: e.fields.filter((f) => f.name !== 'description'), layoutHash: 'release-1' } : e,
      ),
    });
    const dir = mkdtempSync(join(tmpdir(), 'trackhub-repull-'));
    const upgrade = async (file: string, map: LocalSchemaInfo['repullAfterMigration']) => {
      const oldDb = new Database({ adapter: new SQLiteAdapter({ schema: v1, dbName: file, jsi: false }), modelClasses });
      const old = new SyncEngine({
        database: oldDb,
        registry: oldRegistry,
        transport: server.transport(tenant),
        intervalMs: 0,
        schema: { version: 1, repullAfterMigration: {} },
      });
      expect((await old.sync()).error).toBeNull();
      const newDb = new Database({ adapter: new SQLiteAdapter({ schema: v2, migrations: toV2, dbName: file, jsi: false }), modelClasses });
      const engine = new SyncEngine({
        database: newDb,
        registry,
        transport: server.transport(tenant),
        intervalMs: 0,
        schema: { version: 2, repullAfterMigration: map },
      });
      const events: SyncEvent[] = [];
      engine.events.subscribe((e) => events.push(e));
      const report = await engine.sync();
      expect(report.error).toBeNull();
      const [local] = await newDb.get<Space>('spaces').query().fetch();
      return { report, events, description: local!.description, again: await engine.sync() };
    };
    try {
      const listed = await upgrade(join(dir, 'listed'), { 2: ['Space'] });
      expect(listed.report.pull.Space).toMatchObject({ full: 'migration', updated: 1 });
      expect(listed.report.pull.Task).toMatchObject({ full: 'no' });
      expect(listed.description).toBe('hello');
      expect(listed.events).toContainEqual(expect.objectContaining({ type: 'resync', entity: 'Space', reason: 'migration' }));
      expect(listed.again.pull.Space).toMatchObject({ full: 'no', updated: 0 });
      // The layout hash changed here too, but the map lists nothing for version 2: no re-pull.
      const unlisted = await upgrade(join(dir, 'unlisted'), {});
      expect(unlisted.report.pull.Space).toMatchObject({ full: 'no' });
      expect(unlisted.description).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('transport', () => {
  it.each(['ECONNRESET', 'UND_ERR_SOCKET'])(
    'a kept-alive socket found closed (%s) is sent once more; a second time is a retryable failure',
    async (code) => {
      const tenant = newTenant();
      let resets = 0;
      const resetting =
        (times: number): typeof fetch =>
        (input, init) => {
          if (resets < times) {
            resets += 1;
            return Promise.reject(Object.assign(new TypeError('fetch failed'), { cause: { code } }));
          }
          return fetch(input, init);
        };
      const page = await server.transport(tenant, resetting(1)).pull({ entity: 'Space', cursor: null });
      expect(page.items).toEqual([]);
      expect(resets).toBe(1);
      resets = 0;
      const error = await server
        .transport(tenant, resetting(2))
        .pull({ entity: 'Space', cursor: null })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'TransportError', retryable: true, message: expect.stringContaining(code) });
    },
  );
});
