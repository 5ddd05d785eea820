import { fileURLToPath } from 'node:url';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSchema, createYoga } from 'graphql-yoga';
import type { SyncAuth } from 'trackhub-sync/runtime/server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase, type ExampleDatabase } from '../../examples/trackhub-core/server/database';
import { createResolvers, typeDefs } from '../golden/server-mapped/expected/server';
import { startPostgres, type PostgresServer } from '../support/postgres';
import { isoIn, item, tenant } from './harness';
import { goldenSource } from './support/goldenServer';

// The generated server of the `server-mapped` golden case, executed on PostgreSQL:
// @@map / @map names, scalar lists (String[], Int[], DateTime[], enum[]), Json.
const _golden = (path: string) => fileURLToPath(new URL(`../golden/server-mapped/${path}`, import.meta.url));
const source = goldenSource('server-mapped');

let pg: PostgresServer;
let db: ExampleDatabase;
let url: string;
let close: () => Promise<void>;

beforeAll(async () => {
  pg = await startPostgres();
  db = await openDatabase({ url: await pg.createDatabase('mapped') }, source);
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
  pg?.stop();
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

const PUSH = `mutation($items: [BoardPushItem!]!) { syncPushBoard(items: $items) { success id version errorCode errorMessage } }`;
const PULL = `query($cursor: String) { syncPullBoard(cursor: $cursor) { items { id title tags hits scores reminders levels meta version } deletedIds cursor hasMore } }`;
type Pull = { syncPullBoard: { items: Record<string, unknown>[]; deletedIds: string[]; cursor: string } };

it('round-trips mapped columns, scalar lists and Json, and merges a union list from two clients', async () => {
  const t = tenant('mapped');
  const data = {
    title: 'board',
    tags: ['a', 'b'],
    scores: [1, 2],
    reminders: ['2025-03-04T05:06:07.890Z'],
    levels: ['LOW', 'HIGH'],
    meta: { x: [1, { y: null }] },
  };
  const {
    syncPushBoard: [created],
  } = await gql<{ syncPushBoard: { success: boolean; id: string; errorMessage: string | null }[] }>(PUSH, { items: [item('create', { data })] }, t);
  expect(created!.success, created!.errorMessage ?? '').toBe(true);
  const first = await gql<Pull>(PULL, {}, t);
  expect(first.syncPullBoard.items).toEqual([{ id: created!.id, ...data, hits: 0, version: 1 }]);

  const base = { tags: ['a', 'b'], hits: 0 };
  const a = await gql<{ syncPushBoard: { success: boolean }[] }>(
    PUSH,
    { items: [item('update', { id: created!.id, baseVersion: 1, updatedAt: isoIn(0), data: { tags: ['a', 'b', 'c'], hits: 2 }, base })] },
    t,
  );
  const b = await gql<{ syncPushBoard: { success: boolean }[] }>(
    PUSH,
    { items: [item('update', { id: created!.id, baseVersion: 1, updatedAt: isoIn(0), data: { tags: ['b', 'd'], hits: 5 }, base })] },
    t,
  );
  expect([a.syncPushBoard[0]!.success, b.syncPushBoard[0]!.success]).toEqual([true, true]);
  const merged = await gql<Pull>(PULL, { cursor: first.syncPullBoard.cursor }, t);
  expect(merged.syncPullBoard.items[0]).toMatchObject({ tags: ['b', 'c', 'd'], hits: 7, version: 3 });

  const CARD_PUSH = `mutation($items: [CardPushItem!]!) { syncPushCard(items: $items) { success id version errorMessage } }`;
  const cards = await gql<{ syncPushCard: { success: boolean; id: string; version: number; errorMessage: string | null }[] }>(
    CARD_PUSH,
    { items: [item('create', { data: { body: 'hi', boardId: created!.id, dueOn: '2025-06-07T08:09:10.123Z', code: 'A-1' } })] },
    t,
  );
  expect(cards.syncPushCard[0]!.success, cards.syncPushCard[0]!.errorMessage ?? '').toBe(true);
  const cardId = cards.syncPushCard[0]!.id;
  // uuid, timestamptz and varchar columns take the set-based update too.
  const edited = await gql<{ syncPushCard: { success: boolean; errorMessage: string | null }[] }>(
    CARD_PUSH,
    {
      items: [
        item('update', {
          id: cardId,
          baseVersion: 1,
          updatedAt: isoIn(0),
          data: { dueOn: '2026-01-02T03:04:05.678Z', code: 'B-2' },
          base: { dueOn: '2025-06-07T08:09:10.123Z', code: 'A-1' },
        }),
      ],
    },
    t,
  );
  expect(edited.syncPushCard[0]!.success, edited.syncPushCard[0]!.errorMessage ?? '').toBe(true);
  const card = await db.prisma.$queryRawUnsafe<{ board_ref: string; id: string; due_on: Date; code: string; type: string }[]>(
    `SELECT "board_ref", "id"::text AS id, "due_on", "code", pg_typeof("id")::text AS type FROM "cards" WHERE "tenantId" = $1`,
    t,
  );
  expect(card).toEqual([{ board_ref: created!.id, id: cardId, due_on: new Date('2026-01-02T03:04:05.678Z'), code: 'B-2', type: 'uuid' }]);
  const pulledCards = await gql<{ syncPullCard: { items: Record<string, unknown>[] } }>(`query { syncPullCard { items { id dueOn code } } }`, {}, t);
  expect(pulledCards.syncPullCard.items).toEqual([{ id: cardId, dueOn: '2026-01-02T03:04:05.678Z', code: 'B-2' }]);
  const board = await db.prisma.$queryRawUnsafe<{ board_title: string; sync_seq: bigint }[]>(
    `SELECT "board_title", "sync_seq" FROM "boards" WHERE "tenant_id" = $1`,
    t,
  );
  expect(board[0]!.board_title).toBe('board');
  expect(BigInt(board[0]!.sync_seq)).toBe(3n);

  await gql(PUSH, { items: [item('delete', { id: created!.id, baseVersion: 3, updatedAt: isoIn(0) })] }, t);
  const tomb = await gql<Pull>(PULL, { cursor: merged.syncPullBoard.cursor }, t);
  expect(tomb.syncPullBoard.deletedIds).toEqual([created!.id]);
});
