import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSchema, createYoga } from 'graphql-yoga';
import type { SyncAuth, SyncResultItem } from 'trackhub-sync/runtime/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type ExampleDatabase } from '../../examples/trackhub-core/server/database';
import { createResolvers, typeDefs } from '../golden/escapes/expected/server';
import { startPostgres, type PostgresServer } from '../support/postgres';
import { isoIn, item, tenant } from './harness';
import { goldenSource } from './support/goldenServer';

// The generated server of the `escapes` golden case (a serverMerge Note with
// max/min on DateTime and String, counters on BigInt and Decimal), served over
// HTTP: every merge rule the generator accepts is exact end to end.
const _golden = (path: string) => fileURLToPath(new URL(`../golden/escapes/${path}`, import.meta.url));
const source = goldenSource('escapes');

const PUSH = `mutation($items: [JSON!]!) { syncPush(entity: "Note", items: $items) { success id version errorCode errorMessage } }`;
const PULL = `query { syncPull(entity: "Note") { items } }`;

function defineExactMergeTests(name: string, open: () => Promise<{ db: ExampleDatabase; cleanup: () => void }>): void {
  describe(`exact merge rules over HTTP on ${name}`, () => {
    let db: ExampleDatabase;
    let cleanup: () => void;
    let url: string;
    let close: () => Promise<void>;
    beforeAll(async () => {
      ({ db, cleanup } = await open());
      const yoga = createYoga<object, { auth: SyncAuth | null }>({
        schema: createSchema({ typeDefs, resolvers: createResolvers<{ auth: SyncAuth | null }>({ prisma: db.prisma, getAuth: (c) => c.auth }) }),
        context: ({ request }) => ({ auth: { tenantId: request.headers.get('x-tenant') ?? '', userId: 'u' } }),
        logging: false,
      });
      const server = createServer(yoga);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
      close = () => new Promise((resolve) => server.close(() => resolve()));
    });
    afterAll(async () => {
      await close?.();
      await db?.close();
      cleanup?.();
    });

    async function gql<T>(query: string, variables: object, t: string): Promise<T> {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-tenant': t },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data: T; errors?: unknown };
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return body.data;
    }
    const push = async (t: string, entry: Record<string, unknown>) => {
      const { syncPush } = await gql<{ syncPush: SyncResultItem[] }>(PUSH, { items: [entry] }, t);
      expect(syncPush[0]!.success, syncPush[0]!.errorMessage ?? '').toBe(true);
      return syncPush[0]!;
    };

    /**
     * Create a note holding `initial` in `field`, then let two clients edit it
     * from version 1: A first (applied as sent), then B (stale, so merged by
     * the field's rule). Returns the value the server ends up with.
     */
    async function mergeTwo(field: string, initial: unknown, a: unknown, b: unknown): Promise<unknown> {
      const t = tenant(`exact-${field}`);
      const created = await push(t, item('create', { data: { [field]: initial } }));
      const base = { [field]: initial };
      await push(t, item('update', { id: created.id, baseVersion: 1, updatedAt: isoIn(0), data: { [field]: a }, base }));
      const merged = await push(t, item('update', { id: created.id, baseVersion: 1, updatedAt: isoIn(-60_000), data: { [field]: b }, base }));
      expect(merged.version).toBe(3);
      const { syncPull } = await gql<{ syncPull: { items: Record<string, unknown>[] } }>(PULL, {}, t);
      return syncPull.items[0]![field];
    }

    it('counter on BigInt adds both deltas exactly beyond 2^53 and answers a wire string', async () => {
      expect(await mergeTwo('total', '9007199254740993', '9007199254740995', '9007199254740996')).toBe('9007199254740998');
    });

    it('counter on Decimal adds both deltas in decimal, not binary, arithmetic', async () => {
      expect(await mergeTwo('amount', '0.1', '0.3', '0.2')).toBe('0.4');
    });

    it('max on DateTime keeps the later instant, whatever the offset spelling', async () => {
      // A: 12:00+01:00 = 11:00Z. B: 11:30+02:00 = 09:30Z, earlier, though it sorts later as text.
      expect(await mergeTwo('seenAt', '2026-01-01T10:00:00.000Z', '2026-01-01T12:00:00.000+01:00', '2026-01-01T11:30:00.000+02:00')).toBe(
        '2026-01-01T11:00:00.000Z',
      );
    });

    it('min on String keeps the lexicographically smaller value', async () => {
      expect(await mergeTwo('firstName', 'm', 'k', 'a')).toBe('a');
    });

    it('max on String keeps the lexicographically larger value', async () => {
      expect(await mergeTwo('lastName', 'm', 'p', 'z')).toBe('z');
      expect(await mergeTwo('lastName', 'm', 'p', 'Z')).toBe('p');
    });
  });
}

defineExactMergeTests('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'trackhub-exact-'));
  const db = await openDatabase({ file: join(dir, 'sync.db') }, source);
  return { db, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
});

let pg: PostgresServer | undefined;
defineExactMergeTests('PostgreSQL', async () => {
  pg = await startPostgres();
  const db = await openDatabase({ url: await pg.createDatabase('exact') }, source);
  return { db, cleanup: () => pg?.stop() };
});
