import { describe, expect, it } from 'vitest';
import { listQueue, type SyncTransport } from '../../runtime/client/index';
import { openDevice } from './support/device';

// Local-first writes on real WatermelonDB (SQLite adapter): the record and its
// queue entry change together, and the queue coalesces (README "Client sync").

const offline: SyncTransport = {
  pull: () => Promise.reject(new Error('offline')),
  push: () => Promise.reject(new Error('offline')),
};
const device = () => openDevice('phone', { tenantId: 't1', transport: offline });

describe('local writes', () => {
  it('create stores the record (UUID v7 id, tenant, defaults) and one insert entry with the wire payload', async () => {
    const { database, adapters } = device();
    const task = await adapters.task.create({ title: 'Write', dueAt: new Date('2025-01-02T03:04:05.678Z'), estimate: '1.50' });
    expect(task.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/);
    expect(task.tenantId).toBe('t1');
    expect(task.priority).toBe('MEDIUM');
    expect(task.serverId).toBeNull();
    const [entry] = await listQueue(database);
    expect(entry).toMatchObject({ entity: 'Task', operation: 'insert', entityId: task.id, status: 'pending', attempts: 0 });
    expect(entry!.payload).toMatchObject({ title: 'Write', dueAt: '2025-01-02T03:04:05.678Z', estimate: '1.50', priority: 'MEDIUM', done: false });
    expect(entry!.payload).not.toHaveProperty('tenantId');
    expect(entry!.payload).not.toHaveProperty('version');
  });

  it('update after an unsent insert folds into the insert', async () => {
    const { database, adapters } = device();
    const space = await adapters.space.create({ name: 'a' });
    await adapters.space.update(space.id, { name: 'b', viewCount: 3 });
    const queue = await listQueue(database);
    expect(queue).toHaveLength(1);
    expect(queue[0]).toMatchObject({ operation: 'insert', payload: expect.objectContaining({ name: 'b', viewCount: 3 }) });
    expect((await adapters.space.find(space.id))!.name).toBe('b');
  });

  it('repeated updates of a synced record merge, keeping the earliest base values', async () => {
    const { database, adapters } = device();
    const space = await adapters.space.create({ name: 'a', viewCount: 1 });
    // Pretend the insert was acknowledged: drop the entry, set a server id and version.
    await database.write(async () => {
      const [entry] = await database.get('operation_queue').query().fetch();
      await database.batch(
        entry!.prepareDestroyPermanently(),
        space.prepareUpdate((r) => {
          r._setRaw('server_id', 's1');
          r._setRaw('version', 1);
        }),
      );
    });
    await adapters.space.update(space.id, { name: 'b' });
    await adapters.space.update(space.id, { name: 'c', viewCount: 5 });
    const queue = await listQueue(database);
    expect(queue).toHaveLength(1);
    expect(queue[0]).toMatchObject({ operation: 'update', payload: { name: 'c', viewCount: 5 }, base: { name: 'a', viewCount: 1 } });
  });

  it('delete after an unsent insert removes both', async () => {
    const { database, adapters } = device();
    const space = await adapters.space.create({ name: 'gone' });
    await adapters.space.update(space.id, { name: 'still gone' });
    await adapters.space.delete(space.id);
    expect(await listQueue(database)).toHaveLength(0);
    expect(await database.get('spaces').query().fetchCount()).toBe(0);
  });

  it('delete of an unsent record that a queued child points at keeps the insert for the server (indexed lookup)', async () => {
    const { database, adapters } = device();
    const space = await adapters.space.create({ name: 'parent' });
    const group = await adapters.group.create({ name: 'child', spaceId: space.id });
    await adapters.space.delete(space.id);
    const queue = await listQueue(database);
    expect(queue.map((e) => `${e.entity}:${e.operation}`)).toEqual(['Space:insert', 'Group:insert', 'Space:delete']);
    // Without a queued child the unsent record simply disappears, with its insert.
    await adapters.group.delete(group.id);
    const lone = await adapters.space.create({ name: 'lone' });
    await adapters.space.delete(lone.id);
    expect((await listQueue(database)).filter((e) => e.entityId === lone.id)).toEqual([]);
  });

  it('delete of a synced record soft-deletes it and replaces its pending update', async () => {
    const { database, adapters } = device();
    const space = await adapters.space.create({ name: 'x' });
    await database.write(async () => {
      const [entry] = await database.get('operation_queue').query().fetch();
      await database.batch(
        entry!.prepareDestroyPermanently(),
        space.prepareUpdate((r) => {
          r._setRaw('server_id', 's1');
          r._setRaw('version', 1);
        }),
      );
    });
    await adapters.space.update(space.id, { name: 'y' });
    await adapters.space.delete(space.id);
    const queue = await listQueue(database);
    expect(queue.map((e) => e.operation)).toEqual(['delete']);
    expect(await adapters.space.find(space.id)).toBeNull();
    expect(await adapters.space.query().fetchCount()).toBe(0);
    await expect(adapters.space.update(space.id, { name: 'z' })).rejects.toThrow(/deleted/);
  });

  it('refuses fields the client may not write, and missing required fields, without writing anything', async () => {
    const { database, adapters } = device();
    await expect(adapters.space.create({ name: 'a', memberCount: 3 } as never)).rejects.toThrow(/memberCount/);
    await expect(adapters.task.create({} as never)).rejects.toThrow(/title/);
    const comment = adapters.comment;
    await expect(comment.update('nope', { taskId: 'x' } as never)).rejects.toThrow(/taskId/);
    expect(await listQueue(database)).toHaveLength(0);
  });

  it('a failing transaction leaves neither the record nor the queue entry', async () => {
    const { database, adapters } = device();
    const space = await adapters.space.create({ name: 'a' });
    // Reusing an existing local id makes the batch fail inside the transaction.
    const broken = openDevice('phone', { tenantId: 't1', transport: offline, database });
    (broken.adapters.space as unknown as { context: { newId: () => string } }).context.newId = () => space.id;
    await expect(broken.adapters.space.create({ name: 'c' })).rejects.toThrow();
    expect(await database.get('spaces').query().fetchCount()).toBe(1);
    expect(await listQueue(database)).toHaveLength(1);
  });

  it('pullOnly adapters expose no writes', () => {
    const { adapters } = device();
    expect('create' in adapters.label).toBe(false);
    expect('update' in adapters.label).toBe(false);
  });
});
