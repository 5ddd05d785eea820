import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdapters } from '../../examples/trackhub-core/generated/client/index';
import { entityMeta, TransportError } from '../../runtime/client/index';
import { resolvePlatform } from '../../runtime/client/platform';
import { ENTITIES_AHEAD, pullEntities } from '../../runtime/client/pull';
import { pushQueue } from '../../runtime/client/push';
import { readSyncState } from '../../runtime/client/syncState';
import { openExampleDatabase, registry } from './support/device';
import { startTestServer, type TestServer } from './support/server';

// runtime/client/pull.ts `pullEntities`: at the last page of an entity, the first pages of the next
// ENTITIES_AHEAD entities are asked for, each for limit / ENTITIES_AHEAD records. They change nothing
// of what commits: each is stored with its cursor in its own entity's pull, in order, and none when a
// pull before it fails; a large entity takes its smaller first page and goes on from its cursor.
// Real components: the example server (graphql-yoga over HTTP, Prisma on SQLite), WatermelonDB's
// SQLite adapter on Node.

const TENANT = 'ahead';
const COUNT = 120;
const names = registry.entities.map((m) => m.name);
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

const allNames = Array.from({ length: COUNT }, (_, i) => `Space ${i}`).sort();

async function deviceSpaces(database: ReturnType<typeof openExampleDatabase>): Promise<string[]> {
  const rows = await database.get('spaces').query().fetch();
  return rows.map((r) => (r._raw as unknown as { name: string }).name).sort();
}

/**
 * Logs `ask <entity> <limit>` as each pull request is sent. Space's last page (its `spaceLast`-th
 * request) is stored only once `releaseWhen` was asked for: a write queued ahead of its apply holds
 * it (at most 10 s; then the order asserted fails the test). `fail`: that entity's requests fail.
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
    const { query, variables } = JSON.parse(String(init!.body)) as { query: string; variables: { limit?: number } };
    const entity = names.find((name) => query.includes(`syncPull${name}(`)) ?? '?';
    log.push(`ask ${entity} ${variables.limit}`);
    if (entity === gate.releaseWhen) release();
    if (entity === gate.fail) throw new TypeError('fetch failed');
    const response = await fetch(input, init);
    if (entity === 'Space' && ++spaces === gate.spaceLast) void database.write(() => released);
    return response;
  };
}

describe('pullEntities: the next entities are asked for while the last page is applied', () => {
  it('asks for the first page of every entity after Space before Space is stored; each is stored in order with its cursor', async () => {
    expect(names).toEqual(['Space', 'Group', 'Task', 'Comment', 'Label']);
    expect(ENTITIES_AHEAD).toBe(4);
    const database = openExampleDatabase();
    const log: string[] = [];
    // Space: pages of 100, then the last 20; the four others asked for 100 / 4 = 25 records each.
    const transport = server.transport(TENANT, gatedFetch(database, log, { spaceLast: 2, releaseWhen: 'Label' }));
    await pullEntities({ database, registry, transport, platform: resolvePlatform(), limit: 100 }, registry.entities, (meta) =>
      log.push(`stored ${meta.name}`),
    );
    expect(log.slice(0, 2)).toEqual(['ask Space 100', 'ask Space 100']);
    expect(log.slice(2, 6).sort()).toEqual(['ask Comment 25', 'ask Group 25', 'ask Label 25', 'ask Task 25']);
    expect(log.slice(6)).toEqual(['stored Space', 'stored Group', 'stored Task', 'stored Comment', 'stored Label']);
    expect(await deviceSpaces(database)).toEqual(allNames);
    for (const name of names) expect((await readSyncState(database, name)).cursor).not.toBeNull();
  });

  it('a large entity takes its smaller first page and goes on from its cursor: every record once, the cursor exact', async () => {
    const database = openExampleDatabase();
    const log: string[] = [];
    const order = ['Label', 'Space'].map((name) => entityMeta(registry, name));
    const transport = server.transport(TENANT, gatedFetch(database, log, { spaceLast: 0, releaseWhen: '-' }));
    await pullEntities({ database, registry, transport, platform: resolvePlatform(), limit: 100 }, order, (meta) => log.push(`stored ${meta.name}`));
    // Space's first page (25 records) was asked for at Label's last page; then pages of 100 from its cursor.
    expect(log).toEqual(['ask Label 100', 'ask Space 25', 'stored Label', 'ask Space 100', 'stored Space']);
    expect(await deviceSpaces(database)).toEqual(allNames);
    const { cursor } = await readSyncState(database, 'Space');
    expect(await server.transport(TENANT).pull({ entity: 'Space', cursor, limit: 100 })).toMatchObject({ items: [], hasMore: false });
  });

  it('when a pull fails, none of the pages asked for ahead of it is stored', async () => {
    const database = openExampleDatabase();
    const log: string[] = [];
    // Group, Task, Comment and Label are asked for as Space's last page arrives; Group's request fails.
    const transport = server.transport(TENANT, gatedFetch(database, log, { spaceLast: 2, releaseWhen: 'Label', fail: 'Group' }));
    const pulled: string[] = [];
    const options = { database, registry, transport, platform: resolvePlatform(), limit: 100 };
    await expect(pullEntities(options, registry.entities, (meta) => pulled.push(meta.name))).rejects.toBeInstanceOf(TransportError);
    expect(log.filter((l) => !l.startsWith('ask Space')).sort()).toEqual(['ask Comment 25', 'ask Group 25', 'ask Label 25', 'ask Task 25']);
    expect(pulled).toEqual(['Space']);
    expect(await deviceSpaces(database)).toEqual(allNames);
    for (const name of ['Group', 'Task', 'Comment', 'Label']) expect((await readSyncState(database, name)).row).toBeNull();
  });
});
