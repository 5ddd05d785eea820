import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type ClientSource, type ExampleDatabase } from '../../examples/trackhub-core/server/database';
import { createSyncCore, type SyncAuth, type SyncCore, type SyncEntitySpec, type SyncFieldSpec } from '../../runtime/server/index';
import { rawPullPlan } from '../../runtime/server/rawPage';
import { startPostgres, type PostgresServer } from '../support/postgres';

// The raw-SQL pull page (runtime/server/rawPage.ts) against the findMany page it
// replaces: every supported column type, nulls and edge values, @map / @@map
// names, on SQLite and on real PostgreSQL. The wire pages must be deep-equal,
// page by page, for first pulls, cursor pulls (tombstones) and `since` pulls.

type Provider = 'sqlite' | 'postgresql';

const PG_ONLY = `
  tags      String[]
  scores    Int[]
  bigs      BigInt[]
  amounts   Decimal[]
  reminders DateTime[]
  moods     Mood[]
  flags     Boolean[]
  ratios    Float[]
  metas     Json[]
  uid       String?   @db.Uuid
  code      String?   @db.VarChar(20)
  stamp     DateTime? @db.Timestamptz(3)
  money     Decimal?  @db.Decimal(30, 10)
  small     Int?      @db.SmallInt`;

const schemaOf = (provider: Provider) => `
enum Mood {
  HAPPY @map("happy")
  SAD   @map("so sad")
  PLAIN
  @@map("mood_kind")
}

model Kitchen {
  id        String    @id @map("kitchen_id")
  clientId  String?   @unique @map("client_id")
  version   Int       @default(1)
  updatedAt DateTime? @map("updated_at")
  deletedAt DateTime? @map("deleted_at")
  tenantId  String    @map("tenant_id")
  syncSeq   BigInt    @default(0) @map("sync_seq")
  title     String    @map("kitchen_title")
  note      String?
  flag      Boolean?
  count     Int?
  big       BigInt?
  ratio     Float?
  amount    Decimal?
  blob      Bytes?
  meta      Json?
  at        DateTime? @map("at_time")
  mood      Mood?
  secret    String?${provider === 'postgresql' ? PG_ONLY : ''}

  @@index([tenantId, syncSeq])
  @@map("kitchens")
}

model Dated {
  id        String    @id
  clientId  String?   @unique
  version   Int       @default(1)
  updatedAt DateTime?
  deletedAt DateTime?
  tenantId  String
  syncSeq   BigInt    @default(0)
  day       DateTime? ${provider === 'postgresql' ? '@db.Date' : ''}
}
`;

const source: ClientSource = (provider) => {
  const dir = fileURLToPath(new URL(`../../.tmp/prisma-clients/rawpull-${provider}/`, import.meta.url));
  const schema = [
    'generator client {',
    '  provider = "prisma-client"',
    `  output   = "${dir}"`,
    '}',
    '',
    'datasource db {',
    `  provider = "${provider}"`,
    '}',
    schemaOf(provider),
  ].join('\n');
  return { schema, dir };
};

const base: SyncFieldSpec[] = [
  { name: 'id', type: 'String', column: 'kitchen_id', isRequired: true, access: 'server' },
  { name: 'clientId', type: 'String', column: 'client_id', access: 'server' },
  { name: 'version', type: 'Int', isRequired: true, access: 'server' },
  { name: 'updatedAt', type: 'DateTime', column: 'updated_at', access: 'server' },
  { name: 'deletedAt', type: 'DateTime', column: 'deleted_at', access: 'server' },
  { name: 'tenantId', type: 'String', column: 'tenant_id', access: 'server' },
  { name: 'syncSeq', type: 'BigInt', column: 'sync_seq', isRequired: true, access: 'ignored' },
];
const mood = { type: 'Enum', enumName: 'mood_kind', enumValues: { HAPPY: 'happy', SAD: 'so sad' } } as const;

function kitchen(provider: Provider): SyncEntitySpec {
  const fields: SyncFieldSpec[] = [
    ...base,
    { name: 'title', type: 'String', column: 'kitchen_title', isRequired: true },
    { name: 'note', type: 'String' },
    { name: 'flag', type: 'Boolean' },
    { name: 'count', type: 'Int' },
    { name: 'big', type: 'BigInt' },
    { name: 'ratio', type: 'Float' },
    { name: 'amount', type: 'Decimal' },
    { name: 'blob', type: 'Bytes' },
    { name: 'meta', type: 'Json' },
    { name: 'at', type: 'DateTime', column: 'at_time' },
    { name: 'mood', ...mood },
    { name: 'secret', type: 'String', access: 'ignored' },
  ];
  if (provider === 'postgresql') {
    fields.push(
      { name: 'tags', type: 'String', isList: true },
      { name: 'scores', type: 'Int', isList: true },
      { name: 'bigs', type: 'BigInt', isList: true },
      { name: 'amounts', type: 'Decimal', isList: true },
      { name: 'reminders', type: 'DateTime', isList: true },
      { name: 'moods', ...mood, isList: true },
      { name: 'flags', type: 'Boolean', isList: true },
      { name: 'ratios', type: 'Float', isList: true },
      { name: 'metas', type: 'Json', isList: true },
      { name: 'uid', type: 'String', dbType: 'uuid' },
      { name: 'code', type: 'String', dbType: 'varchar(20)' },
      { name: 'stamp', type: 'DateTime', dbType: 'timestamptz(3)' },
      { name: 'money', type: 'Decimal', dbType: 'decimal(30,10)' },
      { name: 'small', type: 'Int', dbType: 'smallint' },
    );
  }
  return {
    name: 'Kitchen',
    delegate: 'kitchen',
    table: 'kitchens',
    strategy: 'lastWriteWins',
    direction: 'pullOnly',
    scope: 'tenantId',
    pageSize: 100,
    versionHash: 'k',
    sequence: { field: 'syncSeq', column: 'sync_seq' },
    fields,
  };
}

const dated = (provider: Provider): SyncEntitySpec => ({
  name: 'Dated',
  delegate: 'dated',
  table: 'Dated',
  strategy: 'lastWriteWins',
  direction: 'pullOnly',
  scope: 'tenantId',
  pageSize: 100,
  versionHash: 'd',
  sequence: { field: 'syncSeq' },
  fields: [...base.map(({ column: _, ...f }) => f), { name: 'day', type: 'DateTime', ...(provider === 'postgresql' ? { dbType: 'date' } : {}) }],
});

const TENANT = 'raw-tenant';
const BIG = 9_007_199_254_740_993n; // 2^53 + 1
const NOW = new Date('2026-01-10T00:00:00.000Z');

/** Rows of every value shape; `extra` adds the PostgreSQL-only columns. */
function seedRows(provider: Provider): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [
    // Json columns are left out for a database NULL (Prisma takes no plain `null` for Json).
    { title: '', note: null, flag: null, count: null, big: null, ratio: null, amount: null, blob: null, at: null, mood: null },
    {
      title: 'naïve 日本語 😀',
      note: '',
      flag: true,
      count: -2147483648,
      big: BIG,
      ratio: -0.1,
      amount: '-12345678901234.123456789',
      blob: new Uint8Array([0, 1, 2, 250, 255]),
      meta: { a: [1, { b: null }], s: 'ü' },
      at: new Date('2025-03-04T05:06:07.890Z'),
      mood: 'HAPPY',
    },
    {
      title: 'b',
      flag: false,
      count: 2147483647,
      big: -BIG,
      ratio: 1e300,
      amount: '0.000000000000000001',
      blob: new Uint8Array([]),
      meta: [1, 'two', null],
    },
    { title: 'c', mood: 'SAD', meta: '123', amount: '100', big: 0n, at: new Date('1970-01-01T00:00:00.001Z') },
    { title: 'd', mood: 'PLAIN', meta: 'text', at: new Date('2262-04-11T23:47:16.854Z') },
    { title: 'e', meta: 42 },
    { title: 'f', meta: true },
    { title: 'g', note: 'deleted', deletedAt: new Date('2026-01-05T00:00:00.000Z') },
    { title: 'h' },
    { title: 'i', note: 'deleted too', deletedAt: new Date('2026-01-06T00:00:00.000Z') },
    { title: 'j' },
    { title: 'k' },
  ];
  if (provider === 'postgresql') {
    Object.assign(rows[1]!, {
      tags: ['a', '', 'naïve', 'with,comma', 'with "quote"', 'NULL'],
      scores: [-1, 0, 2147483647],
      bigs: [BIG, -BIG, 0n],
      amounts: ['1.50', '-0.000001', '123456789012345678901234567890'],
      reminders: [new Date('2025-03-04T05:06:07.890Z'), new Date('1999-12-31T23:59:59.999Z')],
      moods: ['HAPPY', 'SAD', 'PLAIN'],
      flags: [true, false],
      ratios: [0.5, -1e-300],
      metas: [{ x: 1 }, [1, 2], 'str', 3],
      uid: '6f1c2a8e-3b4d-4c5e-8f90-123456789abc',
      code: 'A-1',
      stamp: new Date('2025-06-07T08:09:10.123Z'),
      money: '-98765432109876543210.0123456789',
      small: -32768,
    });
    Object.assign(rows[2]!, { tags: [], scores: [], moods: [], metas: [] });
  }
  return rows.map((row, i) => ({
    id: `k-${String(i).padStart(2, '0')}`,
    clientId: `c-${i}`,
    tenantId: TENANT,
    updatedAt: new Date(NOW.getTime() - (20 - i) * 60_000),
    ...row,
  }));
}

type Delegate = { create(args: object): Promise<unknown> };

async function seed(db: ExampleDatabase, provider: Provider) {
  const delegate = db.prisma.kitchen as Delegate;
  const rows = seedRows(provider);
  for (const [i, row] of rows.entries()) {
    await delegate.create({ data: { ...row, syncSeq: BigInt(i + 1) } });
  }
  // Another tenant's row, between this tenant's sequence numbers: never pulled.
  await delegate.create({ data: { id: 'other', tenantId: 'other-tenant', title: 'not yours', syncSeq: 5n } });
  const q = (name: string) => `"${name}"`;
  const p = (n: number) => (provider === 'postgresql' ? `$${n}` : '?');
  const set = (column: string, value: string, id: string) =>
    db.prisma.$executeRawUnsafe(`UPDATE ${q('kitchens')} SET ${q(column)} = ${value} WHERE ${q('kitchen_id')} = ${p(1)}`, id);
  // A JSON `null` value (not a database NULL).
  await set('meta', provider === 'postgresql' ? `'null'::jsonb` : `'null'`, 'k-08');
  if (provider === 'sqlite') {
    // DateTime cells not written by Prisma: integer milliseconds, zone-less text, a space separator, another zone, a date alone.
    await set('at_time', '1717171717171', 'k-05');
    await set('at_time', `'2025-01-02 03:04:05'`, 'k-06');
    await set('at_time', `'2025-01-02T03:04:05.6789'`, 'k-08');
    await set('at_time', `'2025-01-02T03:04:05.678+02:00'`, 'k-10');
    await set('at_time', `'2025-01-02'`, 'k-11');
    // A Decimal and a BigInt stored as SQLite integers / reals by raw SQL.
    await set('amount', '7', 'k-05');
    await set('amount', '7.25', 'k-06');
    // Json cells SQLite's numeric affinity keeps as numbers, and a REAL with 17 significant digits.
    await set('meta', '0.30000000000000004', 'k-10');
    await set('meta', '12345678901234567890', 'k-11');
    await set('at_time', '1717171717171.5', 'k-04');
    // Prisma's text form naming a day February lacks (a Date rolls it over).
    await set('at_time', `'2025-02-29T12:00:00.000+00:00'`, 'k-02');
  } else {
    await set('reminders', 'NULL', 'k-05');
    await set('metas', `ARRAY['1'::jsonb, NULL, 'null'::jsonb]`, 'k-06');
    // timestamp(3) at the ends of what the database formats itself, and a whole second.
    await set('at_time', `'0001-01-01 00:00:00'`, 'k-08');
    await set('at_time', `'9999-12-31 23:59:59.999'`, 'k-10');
    await set('at_time', `'2025-01-02 03:04:05'`, 'k-11');
  }
  const dates = db.prisma.dated as Delegate;
  await dates.create({ data: { id: 'd-1', tenantId: TENANT, syncSeq: 1n, day: new Date('2025-01-02T00:00:00.000Z') } });
}

const auth: SyncAuth = { tenantId: TENANT, userId: 'u' };

function cores(db: ExampleDatabase, provider: Provider) {
  const entities = [
    { descriptor: kitchen(provider), validators: null },
    { descriptor: dated(provider), validators: null },
  ];
  const options = { prisma: db.prisma, dialect: db.dialect, entities, maxBatch: 100, pageSizeMax: 1000, tombstoneHorizonDays: 30, now: () => NOW };
  return { options, raw: createSyncCore(options), prisma: createSyncCore({ ...options, rawPull: false }) };
}

/** Every page of a pull from `start`, in order. */
async function pages(core: SyncCore, entity: string, start: { cursor?: string; since?: string }, limit: number) {
  const out = [];
  let args: { cursor?: string; since?: string; limit: number } = { ...start, limit };
  for (let i = 0; i < 50; i++) {
    const page = await core.pull(auth, entity, args);
    out.push(page);
    if (!page.hasMore) return out;
    args = { cursor: page.cursor, limit };
  }
  throw new Error('pull did not end');
}

function defineRawPullTests(provider: Provider, open: () => Promise<ExampleDatabase>) {
  describe(`raw pull page equals the findMany page (${provider})`, () => {
    let db: ExampleDatabase;
    let raw: SyncCore;
    let prisma: SyncCore;
    beforeAll(async () => {
      db = await open();
      await seed(db, provider);
      ({ raw, prisma } = cores(db, provider));
    });
    afterAll(async () => {
      await db?.close();
    });

    it('takes the raw path for every supported type, and findMany for an unsupported one', () => {
      expect(rawPullPlan(raw.entity('Kitchen'), provider)).not.toBeNull();
      // PostgreSQL @db.Date: decoded by Prisma only.
      expect(rawPullPlan(raw.entity('Dated'), provider) === null).toBe(provider === 'postgresql');
    });

    it('the raw core reads with one raw select, the findMany core with none', async () => {
      const statements: string[] = [];
      const spy = new Proxy(db.prisma, {
        get(target, key, receiver) {
          if (key !== '$queryRawUnsafe') return Reflect.get(target, key, receiver);
          return (sql: string, ...values: unknown[]) => {
            statements.push(sql);
            return target.$queryRawUnsafe(sql, ...values);
          };
        },
      });
      const spied = (rawPull: boolean) =>
        createSyncCore({ ...cores(db, provider).options, prisma: spy, rawPull }).pull(auth, 'Kitchen', { limit: 5 });
      await spied(true);
      expect(statements).toEqual([expect.stringMatching(/^SELECT .* FROM "kitchens" WHERE "tenant_id" = .* ORDER BY "sync_seq" ASC LIMIT /)]);
      await spied(false);
      expect(statements).toHaveLength(1);
    });

    it('a first pull: the same items, values and order, tombstones left out', async () => {
      const [ours] = await pages(raw, 'Kitchen', {}, 1000);
      const theirs = await pages(prisma, 'Kitchen', {}, 1000);
      expect(ours).toEqual(theirs[0]);
      expect(ours!.items.map((r) => r.title)).toEqual(['', 'naïve 日本語 😀', 'b', 'c', 'd', 'e', 'f', 'h', 'j', 'k']);
      // Spot checks that fail if both paths lost a value the same way.
      const rich = ours!.items[1]!;
      expect(rich).toMatchObject({ big: '9007199254740993', blob: 'AAEC+v8=', mood: 'HAPPY', at: '2025-03-04T05:06:07.890Z' });
      expect(rich).not.toHaveProperty('secret');
      expect(ours!.items[0]).toMatchObject({ note: null, flag: null, blob: null, meta: null, mood: null });
      expect(ours!.items[3]).toMatchObject({ mood: 'SAD' });
      if (provider === 'postgresql') {
        // SQLite stores a Decimal as a REAL (Prisma's adapter binds it as a float): exact on PostgreSQL only.
        expect(rich).toMatchObject({ amount: '-12345678901234.123456789', money: '-98765432109876543210.0123456789' });
        expect(rich).toMatchObject({
          bigs: ['9007199254740993', '-9007199254740993', '0'],
          moods: ['HAPPY', 'SAD', 'PLAIN'],
          amounts: ['1.5', '-0.000001', '123456789012345678901234567890'],
        });
        expect(ours!.items[5]).toMatchObject({ reminders: [] });
      } else {
        expect(ours!.items[5]!.at).toBe('2024-05-31T16:08:37.171Z');
        expect(ours!.items[6]!.at).toBe('2025-01-02T03:04:05.000Z');
      }
    });

    it('paging with cursors gives identical sequences, tombstones included', async () => {
      for (const limit of [1, 3, 4]) {
        const theirs = await pages(prisma, 'Kitchen', {}, limit);
        const ours = await pages(raw, 'Kitchen', {}, limit);
        expect(ours).toEqual(theirs);
        expect(ours.length).toBeGreaterThan(2);
        // From a cursor: soft-deleted rows come as deletedIds.
        const from = ours[0]!.cursor;
        const more = await pages(raw, 'Kitchen', { cursor: from }, limit);
        expect(more).toEqual(await pages(prisma, 'Kitchen', { cursor: from }, limit));
        expect(more.flatMap((p) => p.deletedIds)).toEqual(['k-07', 'k-09']);
      }
    });

    it('a `since` pull: the same rows updated after the time', async () => {
      const since = new Date(NOW.getTime() - 15 * 60_000).toISOString();
      const ours = await pages(raw, 'Kitchen', { since }, 3);
      expect(ours).toEqual(await pages(prisma, 'Kitchen', { since }, 3));
      const ids = ours.flatMap((p) => [...p.items.map((r) => String(r.id)), ...p.deletedIds]);
      expect(ids.sort()).toEqual(['k-06', 'k-07', 'k-08', 'k-09', 'k-10', 'k-11']);
    });

    it('an unsupported entity pulls through findMany', async () => {
      const [page] = await pages(raw, 'Dated', {}, 10);
      expect(page!.items).toEqual([expect.objectContaining({ id: 'd-1', day: '2025-01-02T00:00:00.000Z' })]);
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'trackhub-rawpull-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
defineRawPullTests('sqlite', () => openDatabase({ file: join(dir, 'raw.db') }, source));

let pg: PostgresServer | undefined;
afterAll(() => pg?.stop());
defineRawPullTests('postgresql', async () => {
  pg = await startPostgres();
  return openDatabase({ url: await pg.createDatabase('rawpull') }, source);
});
