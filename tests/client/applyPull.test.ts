import { describe, expect, it } from 'vitest';
import { pullEntity } from '../../runtime/client/pull';
import { resolvePlatform } from '../../runtime/client/platform';
import { entityMeta, listQueue, type PullPage, type SyncTransport } from '../../runtime/client/index';
import { openDevice, registry } from './support/device';

// Applying pulled pages on real WatermelonDB (SQLite adapter): ids, foreign
// keys, tombstones, cursors, and records with pending changes (README "Client sync").

const iso = (ms: number) => new Date(ms).toISOString();
const wire = (id: string, fields: Record<string, unknown>, version = 1) => ({
  id,
  clientId: null,
  version,
  updatedAt: iso(1_700_000_000_000 + version),
  deletedAt: null,
  tenantId: 't1',
  ...fields,
});

/** Serves fixed pages in order, recording the cursors asked for. */
function pages(...list: Partial<PullPage>[]) {
  const asked: (string | null)[] = [];
  const transport: SyncTransport = {
    pull: async ({ cursor }) => {
      asked.push(cursor);
      const page = list.shift() ?? {};
      return { items: [], deletedIds: [], lastSyncAt: iso(0), cursor: `c${asked.length}`, hasMore: false, ...page };
    },
    push: () => Promise.reject(new Error('no push here')),
  };
  return { transport, asked };
}

function pull(device: ReturnType<typeof openDevice>, transport: SyncTransport, entity: string) {
  return pullEntity({ database: device.database, registry, transport, platform: resolvePlatform() }, entityMeta(registry, entity));
}

describe('applying pulled pages', () => {
  it('pages until hasMore is false; local id = server id; cursor stored', async () => {
    const { transport, asked } = pages(
      { items: [wire('s1', { name: 'one', viewCount: 1, memberCount: 2, settings: { a: [1] } })], hasMore: true },
      { items: [wire('s2', { name: 'two', viewCount: 0, memberCount: 0, settings: null })] },
    );
    const device = openDevice('d', { tenantId: 't1', transport });
    const report = await pull(device, transport, 'Space');
    expect(report).toMatchObject({ pages: 2, created: 2, full: 'first' });
    expect(asked).toEqual([null, 'c1']);
    const one = (await device.adapters.space.find('s1'))!;
    expect(one).toMatchObject({ serverId: 's1', name: 'one', version: 1, memberCount: 2, settings: { a: [1] } });
    expect(one.updatedAt!.toISOString()).toBe(iso(1_700_000_000_001));
    // Next sync continues from the stored cursor.
    const next = pages({});
    await pull(device, next.transport, 'Space');
    expect(next.asked).toEqual(['c2']);
  });

  it('translates foreign keys to local ids and links a lost create by clientId', async () => {
    const device = openDevice('d', { tenantId: 't1', transport: pages().transport });
    const space = await device.adapters.space.create({ name: 'mine' });
    // The create reached the server but its response was lost: the server knows it as S9.
    const { transport } = pages({ items: [{ ...wire('S9', { name: 'mine', viewCount: 0, memberCount: 0 }), clientId: space.id }] });
    await pull(device, transport, 'Space');
    expect(await device.database.get('spaces').query().fetchCount()).toBe(1);
    expect((await device.adapters.space.find(space.id))!.serverId).toBe('S9');
    const tasks = pages({ items: [wire('T1', { title: 't', done: false, priority: 'LOW', spaceId: 'S9' })] });
    await pull(device, tasks.transport, 'Task');
    expect((await device.adapters.task.find('T1'))!.spaceId).toBe(space.id);
  });

  it('never overwrites pending local changes: lastWriteWins rebases untouched fields, keeps the base version', async () => {
    const { transport } = pages({ items: [wire('s1', { name: 'a', description: 'd0', viewCount: 0, memberCount: 0 })] });
    const device = openDevice('d', { tenantId: 't1', transport });
    await pull(device, transport, 'Space');
    await device.adapters.space.update('s1', { name: 'local' });
    const later = pages({ items: [wire('s1', { name: 'remote', description: 'd1', viewCount: 0, memberCount: 5 }, 2)], deletedIds: [] });
    const report = await pull(device, later.transport, 'Space');
    expect(report.rebased).toBe(1);
    const s = (await device.adapters.space.find('s1'))!;
    expect(s).toMatchObject({ name: 'local', description: 'd1', memberCount: 5, version: 1 });
    expect((await listQueue(device.database))[0]).toMatchObject({ operation: 'update', payload: { name: 'local' }, base: { name: 'a' } });
  });

  it('manual strategy leaves a pending record untouched', async () => {
    const { transport } = pages({ items: [wire('t1', { title: 'a', done: false, priority: 'LOW' })] });
    const device = openDevice('d', { tenantId: 't1', transport });
    await pull(device, transport, 'Task');
    await device.adapters.task.update('t1', { done: true });
    await pull(device, pages({ items: [wire('t1', { title: 'server', done: false, priority: 'HIGH' }, 2)] }).transport, 'Task');
    expect(await device.adapters.task.find('t1')).toMatchObject({ title: 'a', done: true, priority: 'LOW', version: 1 });
  });

  it('tombstones remove synced records but not ones with pending changes', async () => {
    const { transport } = pages({
      items: [wire('s1', { name: 'a', viewCount: 0, memberCount: 0 }), wire('s2', { name: 'b', viewCount: 0, memberCount: 0 })],
    });
    const device = openDevice('d', { tenantId: 't1', transport });
    await pull(device, transport, 'Space');
    await device.adapters.space.update('s2', { name: 'edited' });
    const report = await pull(device, pages({ deletedIds: ['s1', 's2'] }).transport, 'Space');
    expect(report.deleted).toBe(1);
    expect(await device.adapters.space.find('s1')).toBeNull();
    expect((await device.adapters.space.find('s2'))!.name).toBe('edited');
  });

  it('a layout change (migration) forces a full re-pull that drops records the server no longer has', async () => {
    const { transport } = pages({
      items: [wire('s1', { name: 'a', viewCount: 0, memberCount: 0 }), wire('s2', { name: 'b', viewCount: 0, memberCount: 0 })],
    });
    const device = openDevice('d', { tenantId: 't1', transport });
    await pull(device, transport, 'Space');
    const meta = { ...entityMeta(registry, 'Space'), layoutHash: 'changed' };
    const again = pages({ items: [wire('s2', { name: 'b2', viewCount: 0, memberCount: 0 }, 2)] });
    const report = await pullEntity({ database: device.database, registry, transport: again.transport, platform: resolvePlatform() }, meta);
    expect(report).toMatchObject({ full: 'layout', removed: 1 });
    expect(again.asked).toEqual([null]);
    expect(await device.adapters.space.query().fetchCount()).toBe(1);
  });

  it('re-pulls from before a page that left a pending record behind, once the record is settled', async () => {
    const first = pages({ items: [wire('s1', { name: 'a', viewCount: 0, memberCount: 0 })], cursor: 'p1' });
    const device = openDevice('d', { tenantId: 't1', transport: first.transport });
    await pull(device, first.transport, 'Space');
    await device.adapters.space.update('s1', { name: 'local' });
    // The server's newer state arrives while the change is pending: only partly applied.
    await pull(device, pages({ items: [wire('s1', { name: 'remote', viewCount: 0, memberCount: 0 }, 2)], cursor: 'p2' }).transport, 'Space');
    const still = pages({ cursor: 'p3' });
    await pull(device, still.transport, 'Space');
    expect(still.asked).toEqual(['p2']); // still pending: no rewind yet
    // The change is settled (here: dropped), so the next pull starts again from before page p2.
    await device.database.write(async () => {
      const rows = await device.database.get('operation_queue').query().fetch();
      await device.database.batch(...rows.map((r) => r.prepareDestroyPermanently()));
    });
    const again = pages({ items: [wire('s1', { name: 'remote', viewCount: 0, memberCount: 0 }, 2)], cursor: 'p4' });
    const report = await pull(device, again.transport, 'Space');
    expect(again.asked).toEqual(['p1']);
    expect(report.rewound).toBe(true);
    expect((await device.adapters.space.find('s1'))!.name).toBe('remote');
    const after = pages({ cursor: 'p5' });
    await pull(device, after.transport, 'Space');
    expect(after.asked).toEqual(['p4']);
  });
});
