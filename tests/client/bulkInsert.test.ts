import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Q } from '@nozbe/watermelondb';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import { entityMeta, type PullPage, type SyncTransport } from '../../runtime/client/index';
import { resolvePlatform } from '../../runtime/client/platform';
import { pullEntity } from '../../runtime/client/pull';
import { readSyncState } from '../../runtime/client/syncState';
import { openDevice, openExampleDatabase, registry, type Device } from './support/device';

// The first pull into an empty table inserts rows without Models (runtime/client/bulkInsert.ts)
// on WatermelonDB's SQLite adapter: same stored values as the Model path, the page and its
// cursor in one transaction, and observers still see every record (the Model path then).

const iso = (ms: number) => new Date(ms).toISOString();
const space = (i: number, version = 1) => ({
  id: `S${String(i).padStart(4, '0')}`,
  clientId: null,
  version,
  updatedAt: iso(1_700_000_000_000 + i),
  deletedAt: null,
  status: i % 3 === 0 ? 'ACTIVE' : null,
  tenantId: 't1',
  createdBy: i % 2 ? 'u1' : null,
  name: `space ${i} "quoted" 'single'`,
  description: i % 2 ? 'text' : null,
  viewCount: i,
  memberCount: i % 7,
  settings: i % 4 ? { n: i, nested: [true, null, 'x'] } : null,
});

/** Serves `pages` in order; cursors c1, c2, … */
function serve(pages: Partial<PullPage>[]): SyncTransport {
  let n = 0;
  return {
    pull: async () => {
      const page = pages[n++] ?? {};
      return { items: [], deletedIds: [], lastSyncAt: iso(0), cursor: `c${n}`, hasMore: n < pages.length, ...page };
    },
    push: () => Promise.reject(new Error('no push here')),
  };
}

const pull = (device: Device, transport: SyncTransport) =>
  pullEntity({ database: device.database, registry, transport, platform: resolvePlatform() }, entityMeta(registry, 'Space'));

const rows = (device: Device) => device.database.get('spaces').query(Q.unsafeSqlQuery('select * from spaces order by id')).unsafeFetchRaw();

/** Records of `spaces` held as Models by WatermelonDB's record cache. */
const cached = (device: Device) => (device.database.get('spaces') as unknown as { _cache: { map: Map<string, unknown> } })._cache.map.size;

describe('first pull into an empty table (bulk insert)', () => {
  const pages = () => [
    { items: Array.from({ length: 150 }, (_, i) => space(i)) },
    // Record 5 changed on the server during the pull: it comes again in a later page.
    { items: [...Array.from({ length: 60 }, (_, i) => space(150 + i)), { ...space(5, 2), name: 'renamed' }] },
  ];

  it('stores exactly what the Model path stores, without holding Models', async () => {
    const bulk = openDevice('bulk', { tenantId: 't1', transport: serve([]) });
    const viaModels = openDevice('models', { tenantId: 't1', transport: serve([]) });
    // An observer on the table makes the pull take the Model path (observers must see the records).
    const seen: number[] = [];
    const subscription = viaModels.database
      .get('spaces')
      .query()
      .observe()
      .subscribe((list) => seen.push(list.length));
    const a = await pull(bulk, serve(pages()));
    const b = await pull(viaModels, serve(pages()));
    subscription.unsubscribe();
    expect(a).toEqual(b);
    expect(a).toMatchObject({ created: 210, updated: 1, pages: 2 });
    expect(await rows(bulk)).toEqual(await rows(viaModels));
    expect(seen.at(-1)).toBe(210);
    expect(cached(bulk)).toBeLessThan(10);
    expect(cached(viaModels)).toBe(210);
    // Rows inserted without Models load as Models later, with the pulled values.
    const five = (await bulk.adapters.space.find('S0005'))!;
    expect(five).toMatchObject({ serverId: 'S0005', name: 'renamed', version: 2, settings: { n: 5, nested: [true, null, 'x'] } });
    expect((await bulk.adapters.space.find('S0007'))!.updatedAt!.toISOString()).toBe(iso(1_700_000_000_007));
    // Local writes after the pull work on those rows.
    await bulk.adapters.space.update('S0007', { name: 'local' });
    expect((await bulk.adapters.space.find('S0007'))!.name).toBe('local');
  });

  it('a failing page leaves neither its rows nor its cursor behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bulk-insert-'));
    try {
      const device = openDevice('d', { tenantId: 't1', transport: serve([]), dbName: join(dir, 'device') });
      // The second page repeats an id within itself: its insert fails, the whole page rolls back.
      const broken = [{ items: Array.from({ length: 50 }, (_, i) => space(i)) }, { items: [space(60), space(61), space(60)] }];
      await expect(pull(device, serve(broken))).rejects.toThrow();
      // What is on disk (a restart): the first page and its cursor, nothing of the second.
      const restarted = openDevice('d', { tenantId: 't1', transport: serve([]), database: openExampleDatabase(join(dir, 'device')) });
      expect((await rows(restarted)).map((r) => r.id)).toEqual(Array.from({ length: 50 }, (_, i) => space(i).id));
      expect((await readSyncState(restarted.database, 'Space')).cursor).toBe('c1');
      // A full pull cut short starts again from scratch, over the rows it left (looked up, not inserted twice).
      const again = [{ items: Array.from({ length: 50 }, (_, i) => space(i)) }, { items: [space(60), space(61)] }];
      const report = await pull(restarted, serve(again));
      expect(report).toMatchObject({ created: 2, updated: 50, full: 'layout' });
      expect((await rows(restarted)).length).toBe(52);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reuses the insert statements on WatermelonDB's Node driver, per connection", async () => {
    // The Node driver prepares every statement again (a device's driver caches them); runtime/client/nodeStatements.ts
    // keeps the bulk insert's few statement texts prepared.
    const prepare = vi.spyOn(BetterSqlite3.prototype, 'prepare');
    try {
      const many = (from: number) => ({ items: Array.from({ length: 150 }, (_, i) => space(from + i)) });
      const inserts = () => prepare.mock.calls.filter(([sql]) => String(sql).startsWith('insert into "spaces"'));
      const first = openDevice('a', { tenantId: 't1', transport: serve([]) });
      await pull(first, serve([many(0), many(150), many(300)]));
      expect((await rows(first)).length).toBe(450);
      // 3 pages × 150 rows run as 3 × 7 statements of 5 distinct texts (45, 8, 4, 2, 1 rows): each prepared once.
      const texts = new Set(inserts().map(([sql]) => sql));
      expect(texts.size).toBeGreaterThan(1);
      expect(inserts().length).toBe(texts.size);
      // Another database (another connection) prepares its own, and stores the same rows.
      const second = openDevice('b', { tenantId: 't1', transport: serve([]) });
      await pull(second, serve([many(0), many(150), many(300)]));
      expect(inserts().length).toBe(2 * texts.size);
      expect(await rows(second)).toEqual(await rows(first));
    } finally {
      prepare.mockRestore();
    }
  });
});
