import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdapters } from '../../examples/trackhub-core/generated/client/index';
import { entityMeta, TransportError } from '../../runtime/client/index';
import { resolvePlatform } from '../../runtime/client/platform';
import { FIRST_PULL_LIMIT, pullEntities, pullEntity } from '../../runtime/client/pull';
import { pushQueue } from '../../runtime/client/push';
import { readSyncState } from '../../runtime/client/syncState';
import { openExampleDatabase, registry } from './support/device';
import { startTestServer, type TestServer } from './support/server';

// runtime/client/pull.ts: an entity's first page is small (`firstLimit`) and each later page asks
// for twice the one before, up to `limit`. Page sizes change nothing of what commits: every page
// is applied with its own cursor, a pull that stops keeps the last committed page's position, and
// the next pull resumes from it. Real components: the example server (graphql-yoga over HTTP,
// Prisma on SQLite), WatermelonDB's SQLite adapter on Node.

const TENANT = 'pagesizes';
const COUNT = 120;
const space = entityMeta(registry, 'Space');
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
  const seed = openExampleDatabase();
  await createAdapters({ database: seed, scopeValue: TENANT }).space.createMany(
    Array.from({ length: COUNT }, (_, i) => ({ name: `Space ${i}`, viewCount: i, settings: { n: i } })),
  );
  const report = await pushQueue({ database: seed, registry, transport: server.transport(TENANT), platform: resolvePlatform() });
  expect(report.acknowledged).toBe(COUNT);
}, 60_000);

afterAll(() => server?.close());

/** A fetch that logs each pull's entity and requested page size, and can fail the n-th request. */
function loggingFetch(log: string[], failAt?: number): typeof fetch {
  let n = 0;
  return async (input, init) => {
    n += 1;
    const { variables } = JSON.parse(String(init!.body)) as { variables: { entity?: string; limit?: number } };
    log.push(`${variables.entity ?? 'Space'} ${variables.limit}`);
    if (n === failAt) throw new TypeError('fetch failed');
    return fetch(input, init);
  };
}

/** The device's Spaces as `name` strings, sorted, and the stored cursor. */
async function deviceSpaces(database: ReturnType<typeof openExampleDatabase>) {
  const rows = await database.get('spaces').query().fetch();
  return rows.map((r) => (r._raw as unknown as { name: string }).name).sort();
}

const allNames = Array.from({ length: COUNT }, (_, i) => `Space ${i}`).sort();

describe('pull page sizes: a small first page, doubling up to the limit', () => {
  it('asks 5, 10, 20, 40, 40 … and stores every record once, with the last page’s cursor', async () => {
    const database = openExampleDatabase();
    const log: string[] = [];
    const transport = server.transport(TENANT, loggingFetch(log));
    const report = await pullEntity({ database, registry, transport, platform: resolvePlatform(), limit: 40, firstLimit: 5 }, space);
    // 5 + 10 + 20 + 40 + 40 = 115, then the last 5 in a page of 40.
    expect(log).toEqual(['Space 5', 'Space 10', 'Space 20', 'Space 40', 'Space 40', 'Space 40']);
    expect(report).toMatchObject({ created: COUNT, pages: 6, full: 'first' });
    expect(await deviceSpaces(database)).toEqual(allNames);
    // The stored cursor is exact: a pull from it finds nothing new.
    const { cursor } = await readSyncState(database, 'Space');
    const after = await server.transport(TENANT).pull({ entity: 'Space', cursor, limit: 40 });
    expect(after).toMatchObject({ items: [], hasMore: false });
  });

  it('without options asks FIRST_PULL_LIMIT first; a smaller limit caps the first page too', async () => {
    expect(FIRST_PULL_LIMIT).toBe(1000);
    const log: string[] = [];
    const database = openExampleDatabase();
    await pullEntity({ database, registry, transport: server.transport(TENANT, loggingFetch(log)), platform: resolvePlatform() }, space);
    expect(log).toEqual([`Space ${FIRST_PULL_LIMIT}`]);
    log.length = 0;
    const small = openExampleDatabase();
    await pullEntity(
      { database: small, registry, transport: server.transport(TENANT, loggingFetch(log)), platform: resolvePlatform(), limit: 50 },
      space,
    );
    expect(log).toEqual(['Space 50', 'Space 50', 'Space 50']);
    expect(await deviceSpaces(small)).toEqual(allNames);
  });

  it('a pull that stops at a failed request keeps the pages committed before it; the next pull finishes with every record once', async () => {
    const database = openExampleDatabase();
    const log: string[] = [];
    const options = { database, registry, platform: resolvePlatform(), limit: 40, firstLimit: 5 };
    // The 4th request (the page of 20 records after 5 + 10) fails: pages 1 and 2 are committed;
    // page 3 (20 records) was fetched ahead while page 2 was applied and is applied too.
    await expect(pullEntity({ ...options, transport: server.transport(TENANT, loggingFetch(log, 4)) }, space)).rejects.toBeInstanceOf(TransportError);
    expect(log).toEqual(['Space 5', 'Space 10', 'Space 20', 'Space 40']);
    expect((await deviceSpaces(database)).length).toBe(35);
    const { cursor } = await readSyncState(database, 'Space');
    expect(cursor).not.toBeNull();
    log.length = 0;
    const report = await pullEntity({ ...options, transport: server.transport(TENANT, loggingFetch(log)) }, space);
    // A first pull that did not finish starts again from scratch (docs/PROTOCOL.md: the version
    // mark is set by its last page); the 35 stored records are updated, not duplicated.
    expect(log).toEqual(['Space 5', 'Space 10', 'Space 20', 'Space 40', 'Space 40', 'Space 40']);
    expect(report).toMatchObject({ created: COUNT - 35, updated: 35, full: 'layout' });
    expect(await deviceSpaces(database)).toEqual(allNames);
  });

  it("the server's page cap still holds: pages of at most pageSizeMax, every record once", async () => {
    const capped = await startTestServer({ pageSizeMax: 15 });
    try {
      const seed = openExampleDatabase();
      await createAdapters({ database: seed, scopeValue: TENANT }).space.createMany(Array.from({ length: 40 }, (_, i) => ({ name: `c${i}` })));
      await pushQueue({ database: seed, registry, transport: capped.transport(TENANT), platform: resolvePlatform() });
      const database = openExampleDatabase();
      const pages: number[] = [];
      const options = { database, registry, transport: capped.transport(TENANT), platform: resolvePlatform(), limit: 100, firstLimit: 10 };
      await pullEntities({ ...options, onPage: ({ items }) => pages.push(items) }, [space], () => {});
      // Asked 10, 20, 40, 80: served 10, 15, 15.
      expect(pages).toEqual([10, 25, 40]);
      expect((await deviceSpaces(database)).length).toBe(40);
    } finally {
      await capped.close();
    }
  }, 60_000);
});

describe('pullEntities: the next entities are asked for while the last page is applied', () => {
  const names = registry.entities.map((m) => m.name);
  const entityOf = (init: RequestInit | undefined) => {
    const { query } = JSON.parse(String(init!.body)) as { query: string };
    return names.find((name) => query.includes(`syncPull${name}(`)) ?? '?';
  };

  /**
   * Logs `ask <entity>` as each pull request is sent. Space's last page (its `spaceLast`-th
   * request) is stored only once `releaseWhen` was asked for: a write queued ahead of its apply
   * holds it (at most 10 s, then the order below fails the test).
   */
  function gatedFetch(
    database: ReturnType<typeof openExampleDatabase>,
    log: string[],
    gate: { spaceLast: number; releaseWhen: string; fail?: string },
  ): typeof fetch {
    let spaces = 0;
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
      setTimeout(resolve, 10_000).unref();
    });
    return async (input, init) => {
      const entity = entityOf(init);
      log.push(`ask ${entity}`);
      if (entity === gate.releaseWhen) release();
      if (entity === gate.fail) throw new TypeError('fetch failed');
      const response = await fetch(input, init);
      if (entity === 'Space' && ++spaces === gate.spaceLast) void database.write(() => released);
      return response;
    };
  }

  it('asks for the first page of every entity after Space (limit / firstLimit of them) before Space is stored; each is stored in order', async () => {
    expect(names).toEqual(['Space', 'Group', 'Task', 'Comment', 'Label']);
    const database = openExampleDatabase();
    const log: string[] = [];
    // Space: pages of 20, 40, then the last 60 (asked 80). 100 / 20 = 5 entities may be asked ahead.
    const transport = server.transport(TENANT, gatedFetch(database, log, { spaceLast: 3, releaseWhen: 'Label' }));
    const options = { database, registry, transport, platform: resolvePlatform(), limit: 100, firstLimit: 20 };
    await pullEntities(options, registry.entities, (meta) => log.push(`stored ${meta.name}`));
    expect(log.slice(0, 3)).toEqual(['ask Space', 'ask Space', 'ask Space']);
    expect(log.slice(3, 7).sort()).toEqual(['ask Comment', 'ask Group', 'ask Label', 'ask Task']);
    expect(log.slice(7)).toEqual(['stored Space', 'stored Group', 'stored Task', 'stored Comment', 'stored Label']);
    expect(await deviceSpaces(database)).toEqual(allNames);
    for (const name of names) expect((await readSyncState(database, name)).cursor).not.toBeNull();
  });

  it('holds at most one page of records ahead: with limit / firstLimit = 2, two entities are asked for at a time', async () => {
    const database = openExampleDatabase();
    const log: string[] = [];
    // Space: pages of 20, 40, 40, then the last 20 (asked 40).
    const transport = server.transport(TENANT, gatedFetch(database, log, { spaceLast: 4, releaseWhen: 'Task' }));
    const options = { database, registry, transport, platform: resolvePlatform(), limit: 40, firstLimit: 20 };
    await pullEntities(options, registry.entities, (meta) => log.push(`stored ${meta.name}`));
    expect(log.slice(0, 4)).toEqual(['ask Space', 'ask Space', 'ask Space', 'ask Space']);
    expect(log.slice(4, 6).sort()).toEqual(['ask Group', 'ask Task']);
    // Comment is asked for when Group's (last) page is taken by Group's pull, after Space was stored.
    expect(log.indexOf('ask Comment')).toBeGreaterThan(log.indexOf('stored Space'));
    expect(log.indexOf('ask Label')).toBeGreaterThan(log.indexOf('stored Group'));
    expect(log.filter((l) => l.startsWith('stored'))).toEqual(names.map((name) => `stored ${name}`));
  });

  it('when a pull fails, none of the pages asked for ahead of it is stored', async () => {
    const database = openExampleDatabase();
    const log: string[] = [];
    // Group, Task, Comment and Label are asked for as Space's last page arrives; Group's request fails.
    const transport = server.transport(TENANT, gatedFetch(database, log, { spaceLast: 3, releaseWhen: 'Label', fail: 'Group' }));
    const pulled: string[] = [];
    const options = { database, registry, transport, platform: resolvePlatform(), limit: 100, firstLimit: 20 };
    await expect(pullEntities(options, registry.entities, (meta) => pulled.push(meta.name))).rejects.toBeInstanceOf(TransportError);
    expect(log.filter((l) => l !== 'ask Space').sort()).toEqual(['ask Comment', 'ask Group', 'ask Label', 'ask Task']);
    expect(pulled).toEqual(['Space']);
    expect(await deviceSpaces(database)).toEqual(allNames);
    for (const name of ['Group', 'Task', 'Comment', 'Label']) expect((await readSyncState(database, name)).row).toBeNull();
  });
});
