import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSyncCore, type SyncAuth, type SyncCore } from '../runtime/server/index';
import { startSyncServer } from '../examples/trackhub-core/server/app';
import { openDatabase, type ExampleDatabase } from '../examples/trackhub-core/server/database';
import { entities, settings } from '../examples/trackhub-core/generated/server/entities';
import { startPostgres } from '../tests/support/postgres';
import { formatMs, stats, type BenchModule, type BenchRow } from './support';

// The server core (what the generated resolvers call) on the example schema,
// SQLite (better-sqlite3 adapter; default pragmas, then WAL) and PostgreSQL 15
// (pg adapter, local, fsync off), each beside baselines measured in the same run on the same
// database: a bare Prisma findMany of the same page, and a naive per-item
// push (find by clientId / id, then create or update, one query at a time).

const RUNS = Number(process.env.BENCH_RUNS ?? 100);
const PAGE = 1000;
const auth: SyncAuth = { tenantId: 'bench', userId: 'bench-user' };

type Delegate = {
  findMany(args: object): Promise<unknown[]>;
  findUnique(args: object): Promise<Record<string, unknown> | null>;
  create(args: object): Promise<Record<string, unknown>>;
  update(args: object): Promise<Record<string, unknown>>;
};

/** Time each of `fns` in turn, `runs` times each after a warm-up, the order rotating every run (same load for all). */
async function rotated(runs: number, fns: readonly (() => unknown)[]): Promise<number[][]> {
  for (let i = 0; i < 3; i++) for (const fn of fns) await fn();
  const out = fns.map((): number[] => []);
  for (let i = 0; i < runs; i++) {
    for (let k = 0; k < fns.length; k++) {
      const j = (i + k) % fns.length;
      const start = performance.now();
      await fns[j]!();
      out[j]!.push(performance.now() - start);
    }
  }
  return out;
}

/**
 * Time `ours` and `baseline` alternately, `runs` times each after a warm-up,
 * so both see the same machine load (the machine is shared: 2 cores).
 */
async function paired(runs: number, ours: () => unknown, baseline: () => unknown): Promise<[number[], number[]]> {
  for (let i = 0; i < 3; i++) {
    await ours();
    await baseline();
  }
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < runs; i++) {
    for (const [fn, out] of (i % 2 === 0
      ? [
          [ours, a],
          [baseline, b],
        ]
      : [
          [baseline, b],
          [ours, a],
        ]) as [() => unknown, number[]][]) {
      const start = performance.now();
      await fn();
      out.push(performance.now() - start);
    }
  }
  return [a, b];
}

async function measure(name: string, db: ExampleDatabase): Promise<BenchRow[]> {
  const core: SyncCore = createSyncCore({ prisma: db.prisma, dialect: db.dialect, entities, ...settings });
  const space = db.prisma.space as Delegate;
  const creates = (n: number) =>
    Array.from({ length: n }, (_, i) => ({
      opId: randomUUID(),
      op: 'create',
      clientId: randomUUID(),
      data: { name: `space ${i}`, description: 'benchmark row' },
    }));

  // Seed: PAGE + 1 rows, so a full page has more after it.
  for (let i = 0; i < 3; i++) await core.push(auth, 'Space', creates(Math.ceil((PAGE + 1) / 3)));

  // Pull: one 1,000-item page (raw select, runtime/server/rawPage.ts), beside the same page read by a
  // bare findMany and the pull through findMany (`rawPull: false`, the read before rawPage.ts), interleaved.
  const findManyCore: SyncCore = createSyncCore({ prisma: db.prisma, dialect: db.dialect, entities, ...settings, rawPull: false });
  const bareFindMany = () =>
    space.findMany({ where: { tenantId: auth.tenantId, syncSeq: { gt: 0 }, deletedAt: null }, orderBy: { syncSeq: 'asc' }, take: PAGE + 1 });
  const [pullSamples, bareSamples, findManyPullSamples] = await rotated(RUNS, [
    () => core.pull(auth, 'Space', { limit: PAGE }),
    bareFindMany,
    () => findManyCore.pull(auth, 'Space', { limit: PAGE }),
  ]);
  const pull = stats(pullSamples);
  const bare = stats(bareSamples);
  const findManyPull = stats(findManyPullSamples);
  // The floor under findMany: the same page as one raw SQL select through the same client.
  const q = (column: string) => `"${column}"`;
  const param = (i: number) => (db.dialect === 'postgresql' ? `$${i}` : '?');
  const rawSelectSql = `select * from ${q('Space')} where ${q('tenantId')} = ${param(1)} and ${q('syncSeq')} > 0 and ${q('deletedAt')} is null order by ${q('syncSeq')} asc limit ${PAGE + 1}`;
  const [, rawSelectSamples] = await paired(RUNS, bareFindMany, () => db.prisma.$queryRawUnsafe(rawSelectSql, auth.tenantId));
  const rawSelect = stats(rawSelectSamples);

  // Push of 100 creates.
  const [createSamples, naiveCreateSamples] = await paired(
    RUNS,
    () => core.push(auth, 'Space', creates(100)),
    async () => {
      for (const item of creates(100)) {
        const existing = await space.findUnique({ where: { clientId: item.clientId } });
        if (existing) await space.update({ where: { id: existing.id }, data: { ...item.data, version: { increment: 1 } } });
        else await space.create({ data: { ...item.data, clientId: item.clientId, tenantId: auth.tenantId } });
      }
    },
  );
  const pushCreates = stats(createSamples);
  const naiveCreates = stats(naiveCreateSamples);
  // The floor of a push of 100 creates: one set-based raw upsert of the same 100 rows (no checks).
  const columns = ['id', 'clientId', 'tenantId', 'name', 'description'];
  const [, rawUpsertSamples] = await paired(
    RUNS,
    () => undefined,
    () => {
      const rows = creates(100);
      const values = rows.map((_, r) => `(${columns.map((__, c) => param(r * columns.length + c + 1)).join(', ')})`).join(', ');
      return db.prisma.$executeRawUnsafe(
        `insert into ${q('Space')} (${columns.map(q).join(', ')}) values ${values} on conflict (${q('clientId')}) do update set ${q('name')} = excluded.${q('name')}, ${q('version')} = ${q('Space')}.${q('version')} + 1`,
        ...rows.flatMap((row) => [randomUUID(), row.clientId, auth.tenantId, row.data.name, row.data.description]),
      );
    },
  );
  const rawUpsert = stats(rawUpsertSamples);

  // Push of 100 updates, 10 of them conflicting (stale base version, older edit:
  // lastWriteWins keeps the server's). The naive baseline updates 100 other rows
  // the same way: find by id, compare the version, update, one query at a time.
  const rows = (await core.pull(auth, 'Space', { limit: 200 })).items.map((r) => ({ id: String(r.id), version: Number(r.version) }));
  const ourRows = rows.slice(0, 100);
  const naiveRows = rows.slice(100, 200);
  let round = 0;
  const updates = (targets: typeof rows) => {
    round++;
    return targets.map((t, i) => ({
      opId: randomUUID(),
      op: 'update',
      id: t.id,
      baseVersion: i % 10 === 0 ? t.version - 1 : t.version,
      updatedAt: i % 10 === 0 ? '2000-01-01T00:00:00.000Z' : new Date().toISOString(),
      data: { name: `renamed ${round}` },
    }));
  };
  let conflicts = 0;
  const [updateSamples, naiveUpdateSamples] = await paired(
    RUNS,
    async () => {
      const results = await core.push(auth, 'Space', updates(ourRows));
      results.forEach((r, i) => {
        if (r.success) ourRows[i]!.version = r.version!;
        else conflicts++;
      });
    },
    async () => {
      for (const [i, item] of updates(naiveRows).entries()) {
        const existing = await space.findUnique({ where: { id: item.id } });
        if (!existing || existing.version !== item.baseVersion) continue; // a conflict: nothing written
        const updated = await space.update({ where: { id: item.id }, data: { ...item.data, version: { increment: 1 } } });
        naiveRows[i]!.version = Number(updated.version);
      }
    },
  );
  const pushUpdates = stats(updateSamples);
  const naiveUpdates = stats(naiveUpdateSamples);
  if (conflicts === 0) throw new Error('update benchmark produced no conflicts');

  // End to end through graphql-yoga over HTTP on 127.0.0.1, against the product floors (README "Performance").
  const server = await startSyncServer({ prisma: db.prisma, dialect: db.dialect });
  const post = async (query: string, variables: object) => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer dev:${auth.tenantId}:${auth.userId}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { errors?: unknown };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
  };
  let httpPull: ReturnType<typeof stats>;
  let httpPush: ReturnType<typeof stats>;
  try {
    const [pullHttp, pushHttp] = await paired(
      RUNS,
      () => post('query($limit: Int) { syncPull(entity: "Space", limit: $limit) { items cursor hasMore } }', { limit: PAGE }),
      () => post('mutation($items: [JSON!]!) { syncPush(entity: "Space", items: $items) { success id version } }', { items: creates(100) }),
    );
    httpPull = stats(pullHttp);
    httpPush = stats(pushHttp);
  } finally {
    await server.close();
  }

  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
  return [
    {
      case: `${name}: pull page of ${PAGE}`,
      ours: pull.text,
      baseline: `${bare.text} bare findMany`,
      note: `p95 ${ratio(pull.p95, bare.p95)} the bare findMany (target ≤ 1.0×); p50 ${ratio(pull.p50, bare.p50)}`,
    },
    {
      case: `${name}: pull page of ${PAGE} through findMany (rawPull: false)`,
      ours: findManyPull.text,
      baseline: `${bare.text} bare findMany`,
      note: `p95 ${ratio(findManyPull.p95, bare.p95)} the bare findMany; raw pull p95 ${ratio(pull.p95, findManyPull.p95)} this`,
    },
    {
      case: `${name}: floor: raw select of the page`,
      ours: '',
      baseline: `${rawSelect.text} raw select`,
      note: `p95 ${ratio(rawSelect.p95, bare.p95)} the bare findMany`,
    },
    {
      case: `${name}: push 100 creates`,
      ours: pushCreates.text,
      baseline: `${naiveCreates.text} naive per item`,
      note: `p95 ${formatMs(pushCreates.p95)} (target < 10 ms quiet), ${ratio(naiveCreates.p95, pushCreates.p95)} faster than naive (target ≥ 25×)`,
    },
    {
      case: `${name}: floor: 100 raw upserts, one statement`,
      ours: '',
      baseline: `${rawUpsert.text} raw upsert`,
      note: `ours p95 ${ratio(pushCreates.p95, rawUpsert.p95)} the raw upsert`,
    },
    {
      case: `${name}: push 100 updates (10 conflicting)`,
      ours: pushUpdates.text,
      baseline: `${naiveUpdates.text} naive per item`,
      note: `p95 ${formatMs(pushUpdates.p95)} (target < 60 ms), ${ratio(naiveUpdates.p95, pushUpdates.p95)} faster than naive (target ≥ 5×)`,
    },
    {
      case: `${name}: HTTP pull page of ${PAGE} (yoga)`,
      ours: httpPull.text,
      baseline: 'product floor 500 ms p95',
      note: 'end to end, JSON over 127.0.0.1',
    },
    {
      case: `${name}: HTTP push 100 creates (yoga)`,
      ours: httpPush.text,
      baseline: 'product floor 2 s p95',
      note: 'end to end, JSON over 127.0.0.1',
    },
  ];
}

const bench: BenchModule = {
  title: `server: sync core on the example schema, SQLite and PostgreSQL (${RUNS} runs each)`,
  async run() {
    const rows: BenchRow[] = [];
    const dir = mkdtempSync(join(tmpdir(), 'trackhub-bench-'));
    try {
      // SQLite's default pragmas (rollback journal), as the reference figures of the issue, then WAL (the example server's mode).
      for (const journal of ['default', 'wal'] as const) {
        const sqlite = await openDatabase({ file: join(dir, `bench-${journal}.db`), journal });
        try {
          rows.push(...(await measure(journal === 'wal' ? 'SQLite WAL' : 'SQLite', sqlite)));
        } finally {
          await sqlite.close();
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const server = await startPostgres();
    try {
      const postgres = await openDatabase({ url: await server.createDatabase('bench') });
      try {
        rows.push(...(await measure('PostgreSQL', postgres)));
      } finally {
        await postgres.close();
      }
    } finally {
      server.stop();
    }
    return rows;
  },
};

export default bench;
