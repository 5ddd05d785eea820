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

describe('pullEntities: whole small entities are asked for one after the other without waiting', () => {
  const names = registry.entities.map((m) => m.name);
  const entityOf = (init: RequestInit | undefined) => {
    const { query } = JSON.parse(String(init!.body)) as { query: string };
    return names.find((name) => query.includes(`syncPull${name}(`)) ?? '?';
  };

  /**
   * Logs `ask <entity>` as each pull request is sent. Space's last page (its 2nd request) is
   * stored only once `releaseWhen` was asked for: a write queued ahead of its apply holds it
   * (at most 10 s, then the order below fails the test).
   */
  function gatedFetch(database: ReturnType<typeof openExampleDatabase>, log: string[], releaseWhen: string, failAt?: number): typeof fetch {
    let n = 0;
    let spaces = 0;
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
      setTimeout(resolve, 10_000).unref();
    });
    return async (input, init) => {
      n += 1;
      const entity = entityOf(init);
      log.push(`ask ${entity}`);
      if (entity === releaseWhen) release();
      if (n === failAt) throw new TypeError('fetch failed');
      const response = await fetch(input, init);
      if (entity === 'Space' && ++spaces === 2) void database.write(() => released);
      return response;
    };
  }

  it('asks for every empty entity after Space before Space is stored, and stores each with its own cursor', async () => {
    expect(names).toEqual(['Space', 'Group', 'Task', 'Comment', 'Label']);
    const database = openExampleDatabase();
    const log: string[] = [];
    const transport = server.transport(TENANT, gatedFetch(database, log, 'Label'));
    const options = { database, registry, transport, platform: resolvePlatform(), limit: 100, firstLimit: 100 };
    await pullEntities(options, registry.entities, (meta) => log.push(`stored ${meta.name}`));
    // Group was asked for as Space's last page arrived; Task, Comment and Label as each empty page
    // before them arrived, all before Space's last page was stored. Each is stored in its own pull, in order.
    expect(log).toEqual([
      'ask Space',
      'ask Space',
      'ask Group',
      'ask Task',
      'ask Comment',
      'ask Label',
      'stored Space',
      'stored Group',
      'stored Task',
      'stored Comment',
      'stored Label',
    ]);
    expect(await deviceSpaces(database)).toEqual(allNames);
    for (const name of names) expect((await readSyncState(database, name)).cursor).not.toBeNull();
  });

  it('a page that does not hold its whole entity stops the asking ahead until its own last page', async () => {
    const database = openExampleDatabase();
    const log: string[] = [];
    const transport = server.transport(TENANT, gatedFetch(database, log, 'Group'));
    const order = ['Label', 'Space', 'Group'].map((name) => entityMeta(registry, name));
    await pullEntities({ database, registry, transport, platform: resolvePlatform(), limit: 100, firstLimit: 100 }, order, (meta) =>
      log.push(`stored ${meta.name}`),
    );
    // Space's early page (100 of 120 records) has more: Group waits for Space's last page.
    expect(log.slice(0, 4)).toEqual(['ask Label', 'ask Space', 'stored Label', 'ask Space']);
    expect(log.slice(4)).toEqual(['ask Group', 'stored Space', 'stored Group']);
  });

  it('when Space fails, none of the pages asked for ahead is stored', async () => {
    const database = openExampleDatabase();
    const log: string[] = [];
    // Space's first page arrives (Group is not asked yet: it has more), its last page's request fails.
    const transport = server.transport(TENANT, gatedFetch(database, log, '-', 2));
    const pulled: string[] = [];
    await expect(
      pullEntities({ database, registry, transport, platform: resolvePlatform(), limit: 100, firstLimit: 20 }, registry.entities, (meta) =>
        pulled.push(meta.name),
      ),
    ).rejects.toBeInstanceOf(TransportError);
    expect(pulled).toEqual([]);
    for (const name of ['Group', 'Task', 'Comment', 'Label']) expect((await readSyncState(database, name)).row).toBeNull();
  });
});
