import { describe, expect, it } from 'vitest';
import type { Database } from '@nozbe/watermelondb';
import { entityMeta, type PullPage, type SyncTransport } from '../../runtime/client/index';
import { resolvePlatform } from '../../runtime/client/platform';
import { pullEntities, type PullReport } from '../../runtime/client/pull';
import { prepareSyncState, readSyncState } from '../../runtime/client/syncState';
import { openExampleDatabase, registry } from './support/device';

// runtime/client/pull.ts `pullEntities` asks for the next entity's first page while the last page
// of the current one is applied. That page is a read only: it commits with its cursor in its own
// entity's pull, after the entity before it committed, and never when that entity's pull failed.

const iso = (ms: number) => new Date(ms).toISOString();
const base = (id: string, i: number) => ({ id, clientId: null, version: 1, updatedAt: iso(1_700_000_000_000 + i), deletedAt: null, tenantId: 't1' });
const records: Record<string, (i: number) => Record<string, unknown>> = {
  Space: (i) => ({ ...base(`S${i}`, i), name: `s${i}` }),
  Label: (i) => ({ ...base(`L${i}`, i), name: `l${i}`, color: 'red' }),
};
const metas = [entityMeta(registry, 'Space'), entityMeta(registry, 'Label')];

/** What the device holds: records stored and the committed cursor of each entity. */
async function stored(database: Database): Promise<string> {
  const spaces = await database.get('spaces').query().fetchCount();
  const labels = await database.get('labels').query().fetchCount();
  return `spaces ${spaces} @${(await readSyncState(database, 'Space')).cursor}, labels ${labels} @${(await readSyncState(database, 'Label')).cursor}`;
}

/** Pages of 2 records, 4 per entity; cursor = records served so far. Logs each request with what the device held then. */
function server(database: Database, log: string[], broken?: { entity: string; at: number }): SyncTransport {
  return {
    pull: async ({ entity, cursor }) => {
      const at = Number(cursor ?? 0);
      log.push(`${entity} ${at} (${await stored(database)})`);
      const make = records[entity]!;
      const items = [make(at), make(at + 1)];
      if (broken?.entity === entity && broken.at === at) items.push(make(at)); // the same id twice: the page's insert fails
      const page: PullPage = { items, deletedIds: [], lastSyncAt: iso(0), cursor: String(at + 2), hasMore: at + 2 < 4 };
      return page;
    },
    push: () => Promise.reject(new Error('no push here')),
  };
}

describe('pullEntities: the next entity is asked for while the last page is applied', () => {
  it('asks for the first Label page before the last Space page is stored, and stores it with its cursor in its own pull', async () => {
    const database = openExampleDatabase();
    const log: string[] = [];
    const afterPage: string[] = [];
    const options = {
      database,
      registry,
      transport: server(database, log),
      platform: resolvePlatform(),
      limit: 2,
      onPage: async ({ entity, pages }: { entity: string; pages: number }) => afterPage.push(`${entity} ${pages}: ${await stored(database)}`),
    };
    const reports: Record<string, PullReport> = {};
    await pullEntities(options, metas, (meta, report) => {
      reports[meta.name] = report;
    });
    expect(reports.Space).toMatchObject({ created: 4, pages: 2 });
    expect(reports.Label).toMatchObject({ created: 4, pages: 2 });
    // Label's first page was asked for once, as Space's last page arrived (before it was stored).
    expect(log).toEqual([
      'Space 0 (spaces 0 @null, labels 0 @null)',
      'Space 2 (spaces 0 @null, labels 0 @null)',
      'Label 0 (spaces 2 @2, labels 0 @null)',
      'Label 2 (spaces 4 @4, labels 0 @null)',
    ]);
    // Nothing of Label was stored before Space's last page committed.
    await expect.poll(() => afterPage.length).toBe(4);
    expect(afterPage[1]).toBe('Space 2: spaces 4 @4, labels 0 @null');
    expect(await stored(database)).toBe('spaces 4 @4, labels 4 @4');
  });

  it("a failed last Space page stores nothing of Label's page fetched ahead; the next sync asks for it again", async () => {
    const database = openExampleDatabase();
    const log: string[] = [];
    const options = { database, registry, platform: resolvePlatform(), limit: 2 };
    const pulled: string[] = [];
    await expect(
      pullEntities({ ...options, transport: server(database, log, { entity: 'Space', at: 2 }) }, metas, (meta) => pulled.push(meta.name)),
    ).rejects.toThrow(/UNIQUE/);
    expect(pulled).toEqual([]);
    // Label's first page was fetched ahead, then dropped: no Label record, no Label position.
    expect(log).toContain('Label 0 (spaces 2 @2, labels 0 @null)');
    expect(await stored(database)).toBe('spaces 2 @2, labels 0 @null');
    expect((await readSyncState(database, 'Label')).row).toBeNull();
    log.length = 0;
    await pullEntities({ ...options, transport: server(database, log) }, metas, (meta) => pulled.push(meta.name));
    expect(pulled).toEqual(['Space', 'Label']);
    // Space's full pull starts again (pull.ts versionHash); Label is asked for from the start again.
    expect(log.filter((l) => l.startsWith('Label'))).toEqual(['Label 0 (spaces 2 @2, labels 0 @null)', 'Label 2 (spaces 4 @4, labels 0 @null)']);
    expect(await stored(database)).toBe('spaces 4 @4, labels 4 @4');
  });

  it('an early page that does not answer the request its pull makes is not used: the pull asks from its own position', async () => {
    const database = openExampleDatabase();
    const log: string[] = [];
    const served = server(database, log);
    const label = metas[1]!;
    // While Label's first page is asked for early (from the start), Label's stored position moves
    // to 2: its pull must ask from 2, not apply the early page from 0 under cursor 2's name.
    const transport: SyncTransport = {
      ...served,
      pull: async (request) => {
        if (request.entity === 'Label' && request.cursor === null) {
          await database.write(() =>
            database.batch(prepareSyncState(database, null, 'Label', { cursor: '2', lastSyncAt: 0, versionHash: label.layoutHash }, 0)),
          );
        }
        return served.pull(request);
      },
    };
    const reports: Record<string, PullReport> = {};
    await pullEntities({ database, registry, transport, platform: resolvePlatform(), limit: 2 }, metas, (meta, report) => {
      reports[meta.name] = report;
    });
    expect(log.filter((l) => l.startsWith('Label'))).toEqual(['Label 0 (spaces 2 @2, labels 0 @2)', 'Label 2 (spaces 4 @4, labels 0 @2)']);
    expect(reports.Label).toMatchObject({ full: 'no', created: 2, pages: 1 });
    expect(await stored(database)).toBe('spaces 4 @4, labels 2 @4');
  });
});
