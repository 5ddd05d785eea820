import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Q, type Database, type Model } from '@nozbe/watermelondb';
import { sanitizedRaw } from '@nozbe/watermelondb/RawRecord';
import { afterAll, describe, expect, it } from 'vitest';
import * as core from '../golden/core/expected/watermelon/index';
import type { Comment, Group, Label, Space, Task } from '../golden/core/expected/watermelon/index';
import { openDatabase, type AdapterKind } from '../support/watermelon';

// Executes the generated watermelon/ tree of the `core` golden case on real
// WatermelonDB adapters: every model, every mapped type, relations both ways.

const dir = mkdtempSync(join(tmpdir(), 'trackhub-wm-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Values chosen to break lossy mappings: whitespace, unicode, > 2^53, ms dates, nested JSON. */
const taskValues = {
  title: '  Ship ✈ release  ',
  done: true,
  priority: 'HIGH' as const,
  dueAt: new Date(Date.UTC(2025, 10, 5, 9, 12, 34, 567)),
  estimate: '12345678901234567890.123456789',
  bigCount: '9223372036854775807',
  attachment: Buffer.from([0, 1, 2, 253, 254, 255]).toString('base64'),
  ratio: 0.1 + 0.2,
  tags: ['a', ' b ', 'ü', ''],
  scores: [1, -2, 2147483647],
  reminders: ['2025-11-05T09:12:34.123Z', '1970-01-01T00:00:00.000Z'],
  levels: ['LOW', 'HIGH'] as ('LOW' | 'HIGH')[],
};
const settings = { theme: 'dark', nested: { list: [1, 'x', true, null], deep: { n: 1.5 } } };

function pick(record: object, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, (record as Record<string, unknown>)[k]]));
}

/**
 * A fresh model instance decoded from the row the adapter stored, bypassing
 * the record cache: the same `sanitizedRaw` path WatermelonDB uses on fetch.
 */
async function reread<T extends Model>(db: Database, record: T): Promise<T> {
  const collection = db.get<T>(record.collection.table);
  const [raw] = (await collection.query(Q.where('id', record.id)).unsafeFetchRaw()) as object[];
  const ModelClass = record.constructor as unknown as new (c: typeof collection, r: object) => T;
  return new ModelClass(collection, sanitizedRaw(raw as Record<string, unknown>, collection.schema));
}

describe.each<AdapterKind>(['sqlite', 'loki'])('generated WatermelonDB code on %s', (kind) => {
  it('creates, reads, updates and queries every model with exact values', async () => {
    const db = openDatabase(kind, core, kind === 'sqlite' ? join(dir, 'core.db') : 'core');
    let space!: Space, group!: Group, task!: Task, comment!: Comment, label!: Label;
    await db.write(async () => {
      space = await db.get<Space>('spaces').create((s) => {
        s.name = '  Space ünïcode  ';
        s.description = null;
        s.viewCount = 3;
        s.settings = settings;
        s.status = 'ACTIVE';
        s.tenantId = 'tenant-1';
        // Server-managed and readonly columns are written raw, as the sync engine does.
        s._setRaw('member_count', 7);
        s._setRaw('server_id', 'srv-space-1');
        s._setRaw('version', 4);
      });
      group = await db.get<Group>('space_groups').create((g) => {
        g.name = 'Core team';
        g.score = -5;
        g.highWater = 1e300;
        g.lowWater = -0.000001;
        g.labels = ['x', 'y'];
        g.history = [{ at: 1, what: 'created' }];
        g.owner = 'user-1';
        g.space.set(space);
      });
      task = await db.get<Task>('tasks').create((t) => {
        Object.assign(t, taskValues);
        t.space.set(space);
      });
      comment = await db.get<Comment>('comments').create((c) => {
        c.body = 'first!';
        c.task.set(task);
      });
      // pullOnly: every property is read-only; records arrive from the server raw.
      label = await db.get<Label>('labels').create((l) => {
        l._setRaw('name', 'Urgent');
        l._setRaw('color', '#ff0000');
        l._setRaw('server_id', 'srv-label-1');
      });
    });

    const storedTask = await reread(db, task);
    expect(pick(storedTask, Object.keys(taskValues))).toEqual(taskValues);
    expect(storedTask.dueAt!.getTime()).toBe(taskValues.dueAt.getTime());
    expect(storedTask.spaceId).toBe(space.id);
    expect(storedTask.createdAt).toBeInstanceOf(Date);
    expect(storedTask.updatedAt).toBeInstanceOf(Date);
    expect(storedTask.serverId).toBeNull();

    const storedSpace = await reread(db, space);
    expect(pick(storedSpace, ['name', 'description', 'viewCount', 'settings', 'status', 'tenantId', 'memberCount', 'serverId', 'version'])).toEqual({
      name: '  Space ünïcode  ',
      description: null,
      viewCount: 3,
      settings,
      status: 'ACTIVE',
      tenantId: 'tenant-1',
      memberCount: 7,
      serverId: 'srv-space-1',
      version: 4,
    });
    const storedGroup = await reread(db, group);
    expect(pick(storedGroup, ['name', 'score', 'highWater', 'lowWater', 'labels', 'history', 'owner', 'spaceId'])).toEqual({
      name: 'Core team',
      score: -5,
      highWater: 1e300,
      lowWater: -0.000001,
      labels: ['x', 'y'],
      history: [{ at: 1, what: 'created' }],
      owner: 'user-1',
      spaceId: space.id,
    });
    expect(pick(await reread(db, comment), ['body', 'taskId'])).toEqual({ body: 'first!', taskId: task.id });
    expect(pick(await reread(db, label), ['name', 'color', 'serverId'])).toEqual({ name: 'Urgent', color: '#ff0000', serverId: 'srv-label-1' });

    // Read-only properties refuse writes: pullOnly models, server-managed and @sync.readonly fields.
    expect(() => ((label as { name: string }).name = 'x')).toThrow(/readonly/);
    expect(() => ((space as { version: number }).version = 9)).toThrow(/readonly/);
    expect(() => ((comment as { taskId: string }).taskId = 'other')).toThrow(/readonly/);

    // Relations both ways, and joins across tables.
    expect((await task.space.fetch())!.id).toBe(space.id);
    expect((await comment.task.fetch())!.id).toBe(task.id);
    expect((await group.space.fetch())!.id).toBe(space.id);
    expect((await space.tasks.fetch()).map((t) => t.id)).toEqual([task.id]);
    expect((await space.groups.fetch()).map((g) => g.id)).toEqual([group.id]);
    expect((await task.comments.fetch()).map((c) => c.id)).toEqual([comment.id]);
    const joined = await db
      .get<Task>('tasks')
      .query(Q.on('spaces', 'name', '  Space ünïcode  '), Q.where('priority', 'HIGH'), Q.where('done', true))
      .fetch();
    expect(joined.map((t) => t.id)).toEqual([task.id]);
    expect(await db.get<Group>('space_groups').query(Q.where('name', 'Core team')).fetchCount()).toBe(1);

    // Updates round-trip too, including back to null and empty lists.
    await db.write(async () => {
      await task.update((t) => {
        t.title = 'renamed';
        t.done = false;
        t.priority = 'LOW';
        t.dueAt = null;
        t.estimate = '-0.000000000000000001';
        t.bigCount = '-9223372036854775808';
        t.tags = [];
        t.levels = ['MEDIUM'];
      });
      await space.update((s) => {
        s.settings = null;
        s.viewCount = 4;
      });
    });
    expect(pick(await reread(db, task), ['title', 'done', 'priority', 'dueAt', 'estimate', 'bigCount', 'tags', 'levels'])).toEqual({
      title: 'renamed',
      done: false,
      priority: 'LOW',
      dueAt: null,
      estimate: '-0.000000000000000001',
      bigCount: '-9223372036854775808',
      tags: [],
      levels: ['MEDIUM'],
    });
    expect(pick(await reread(db, space), ['settings', 'viewCount'])).toEqual({ settings: null, viewCount: 4 });
    expect(await db.get('operation_queue').query().fetchCount()).toBe(0);

    if (kind === 'sqlite') {
      // A second database on the same file reads what the first wrote.
      const again = openDatabase('sqlite', core, join(dir, 'core.db'));
      const fromDisk = await again.get<Task>('tasks').find(task.id);
      expect(pick(fromDisk, ['title', 'estimate', 'bigCount', 'attachment', 'scores', 'reminders'])).toEqual({
        title: 'renamed',
        estimate: '-0.000000000000000001',
        bigCount: '-9223372036854775808',
        attachment: taskValues.attachment,
        scores: taskValues.scores,
        reminders: taskValues.reminders,
      });
    }
  });

  it('loads every golden tree and the example into a database', async () => {
    const trees = import.meta.glob<{ schema: unknown; modelClasses: (typeof Model)[] }>(
      ['../golden/*/expected/watermelon/index.ts', '../../examples/*/generated/watermelon/index.ts'],
      { eager: false },
    );
    expect(Object.keys(trees).length).toBeGreaterThanOrEqual(6);
    for (const [path, load] of Object.entries(trees)) {
      const generated = (await load()) as Parameters<typeof openDatabase>[1];
      const db = openDatabase(kind, generated, kind === 'sqlite' ? ':memory:' : path);
      for (const ModelClass of generated.modelClasses) {
        expect(await db.get(ModelClass.table).query().fetchCount(), `${path} ${ModelClass.table}`).toBe(0);
      }
    }
  });
});
