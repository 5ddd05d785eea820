import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresServer } from '../support/postgres';
import type { ExamplePrisma } from '../../examples/trackhub-core/server/database';
import { item, startHarness, tenant, type Harness } from './harness';
import { defineHardeningTests } from './hardeningCases';
import { defineSyncApiTests } from './syncApiCases';

// One throw-away PostgreSQL server for this file: started here, stopped here.
let server: PostgresServer | undefined;
let databases = 0;
const database = async () => {
  server ??= await startPostgres();
  return server.createDatabase(`sync_${process.pid}_${++databases}`);
};
afterAll(() => server?.stop());

defineSyncApiTests('PostgreSQL (pg adapter)', async () => ({ kind: 'postgresql', url: await database() }));
defineHardeningTests('PostgreSQL (pg adapter)', async () => ({ kind: 'postgresql', url: await database() }));

describe('pull cursor under concurrent writers (PostgreSQL)', () => {
  let h: Harness;
  beforeAll(async () => {
    // Real PostgreSQL, with 0-15 ms of injected latency before each write inside a
    // transaction: it widens the window between taking a sequence number and
    // committing, where a cursor that does not follow commit order loses rows.
    h = await startHarness({ kind: 'postgresql', url: await database() }, { wrapPrisma: withWriteLatency });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('a reader paging while writers commit ends with every committed change', async () => {
    const t = tenant('race');
    const WRITERS = 4;
    const ROUNDS = 12;
    let writing = true;
    // The server's view after every write: id -> version (the writers' own results).
    const committed = new Map<string, number>();

    const writer = async (w: number) => {
      const mine: { id: string; version: number }[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const creates = Array.from({ length: 3 }, (_, i) => item('create', { data: { name: `w${w}-r${round}-${i}` } }));
        const updates = mine
          .slice(-2)
          .map((r) =>
            item('update', { id: r.id, baseVersion: r.version, updatedAt: new Date().toISOString(), data: { description: `w${w} r${round}` } }),
          );
        const results = await h.push('Space', [...creates, ...updates], t);
        for (const r of results) {
          expect(r.success, JSON.stringify(r)).toBe(true);
          committed.set(r.id!, Math.max(committed.get(r.id!) ?? 0, r.version!));
          const own = mine.find((m) => m.id === r.id);
          if (own) own.version = r.version!;
          else mine.push({ id: r.id!, version: r.version! });
        }
      }
    };

    // The reader applies pages like a client: id -> version, with small pages to cross many boundaries.
    const seen = new Map<string, number>();
    let cursor: string | null = null;
    let pages = 0;
    const readPage = async () => {
      const page = await h.pull('Space', { cursor, limit: 5 }, t);
      pages++;
      for (const record of page.items) seen.set(String(record.id), Number(record.version));
      cursor = page.cursor;
      return page.hasMore;
    };
    const reader = async () => {
      while (writing && pages < 5_000) await readPage();
      while (await readPage()) if (pages > 10_000) throw new Error('reader never caught up');
    };

    const readerDone = reader();
    await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
    writing = false;
    await readerDone;

    expect(committed.size).toBe(WRITERS * ROUNDS * 3);
    expect(pages).toBeGreaterThan((WRITERS * ROUNDS) / 2);
    expect(new Map([...seen].sort())).toEqual(new Map([...committed].sort()));
  });
});

/** The same Prisma Client, whose raw writes inside transactions wait 0-15 ms first (like a slower network). */
function withWriteLatency(prisma: ExamplePrisma): ExamplePrisma {
  const pass = <T extends object>(target: T, override: Record<PropertyKey, unknown>): T =>
    new Proxy(target, {
      get(t, prop) {
        if (prop in override) return override[prop];
        const value = Reflect.get(t, prop) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(t) : value;
      },
    });
  return pass(prisma, {
    $transaction: (fn: (tx: object) => Promise<unknown>, options?: object) =>
      prisma.$transaction(
        (tx) =>
          fn(
            pass(tx, {
              $executeRawUnsafe: async (sql: string, ...values: unknown[]) => {
                await new Promise((resolve) => setTimeout(resolve, Math.random() * 15));
                return tx.$executeRawUnsafe(sql, ...values);
              },
            }),
          ),
        options,
      ),
  });
}
