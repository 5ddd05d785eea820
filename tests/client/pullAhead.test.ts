import { describe, expect, it } from 'vitest';
import { entityMeta, type PullPage, type SyncTransport } from '../../runtime/client/index';
import { resolvePlatform } from '../../runtime/client/platform';
import { pullEntity } from '../../runtime/client/pull';
import { readSyncState } from '../../runtime/client/syncState';
import { openExampleDatabase, registry } from './support/device';

// runtime/client/pull.ts asks for the next page while the current one is applied; the cursor
// still commits with its own page, so a failed apply leaves the position at the last good page.

const iso = (ms: number) => new Date(ms).toISOString();
const space = (i: number) => ({
  id: `S${i}`,
  clientId: null,
  version: 1,
  updatedAt: iso(1_700_000_000_000 + i),
  deletedAt: null,
  tenantId: 't1',
  name: `s${i}`,
});

/** Pages of 2 records; cursor = records served so far. Logs each request and what the database held then. */
function server(total: number, log: string[], count: () => Promise<number>, broken?: number): SyncTransport {
  return {
    pull: async ({ cursor }) => {
      const at = Number(cursor ?? 0);
      log.push(`request ${at} (stored ${await count()})`);
      const items = [space(at), space(at + 1)];
      if (broken === at) items.push(space(at)); // the same id twice: the page's insert fails
      const page: PullPage = { items, deletedIds: [], lastSyncAt: iso(0), cursor: String(at + 2), hasMore: at + 2 < total };
      return page;
    },
    push: () => Promise.reject(new Error('no push here')),
  };
}

describe('pull: the next page is fetched while one is applied', () => {
  it('requests page n+1 before page n is stored, and stores every page with its cursor', async () => {
    const database = openExampleDatabase();
    const log: string[] = [];
    const count = () => database.get('spaces').query().fetchCount();
    const options = { database, registry, transport: server(6, log, count), platform: resolvePlatform(), limit: 2 };
    const report = await pullEntity(options, entityMeta(registry, 'Space'));
    expect(report).toMatchObject({ created: 6, pages: 3 });
    // Page 2 was asked for before page 1 was stored, page 3 before page 2.
    expect(log).toEqual(['request 0 (stored 0)', 'request 2 (stored 0)', 'request 4 (stored 2)']);
    expect((await readSyncState(database, 'Space')).cursor).toBe('6');
  });

  it('a page that fails to apply keeps the last good cursor; the next pull asks from there', async () => {
    const database = openExampleDatabase();
    const log: string[] = [];
    const count = () => database.get('spaces').query().fetchCount();
    const options = { database, registry, platform: resolvePlatform(), limit: 2 };
    await expect(pullEntity({ ...options, transport: server(8, log, count, 2) }, entityMeta(registry, 'Space'))).rejects.toThrow(/UNIQUE/);
    // Page 3 was fetched ahead, but page 2 never committed: the position is page 1's, also in this
    // process (the cached sync_state Model still held the failed batch's cursor, syncState.ts).
    expect(log).toEqual(['request 0 (stored 0)', 'request 2 (stored 0)', 'request 4 (stored 2)']);
    expect((await readSyncState(database, 'Space')).cursor).toBe('2');
    log.length = 0;
    const report = await pullEntity({ ...options, transport: server(8, log, count) }, entityMeta(registry, 'Space'));
    // A first (full) pull cut short starts again from scratch over the rows it left (pull.ts versionHash).
    expect(log[0]).toBe('request 0 (stored 2)');
    expect(report).toMatchObject({ created: 6, updated: 2 });
    expect(await count()).toBe(8);
  });
});
