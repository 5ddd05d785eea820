import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSyncCore, type SyncAuth, type SyncCore } from '../runtime/server/index';
import { openDatabase, type ExampleDatabase } from '../examples/trackhub-core/server/database';
import { entities, settings } from '../examples/trackhub-core/generated/server/entities';
import { startPostgres } from '../tests/support/postgres';
import { formatMs, sample, stats, type BenchModule, type BenchRow } from './support';

// The server core (what the generated resolvers call) on the example schema,
// SQLite (better-sqlite3 adapter, WAL) and PostgreSQL 15 (pg adapter, local,
// fsync off), each beside baselines measured in the same run on the same
// database: a bare Prisma findMany of the same page, and a naive per-item
// push (find by clientId / id, then create or update, one query at a time).

const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const PAGE = 1000;
const auth: SyncAuth = { tenantId: 'bench', userId: 'bench-user' };

type Delegate = {
  findMany(args: object): Promise<unknown[]>;
  findUnique(args: object): Promise<Record<string, unknown> | null>;
  create(args: object): Promise<Record<string, unknown>>;
  update(args: object): Promise<Record<string, unknown>>;
};

async function measure(name: string, db: ExampleDatabase): Promise<BenchRow[]> {
  const core: SyncCore = createSyncCore({ prisma: db.prisma, dialect: db.dialect, entities, ...settings });
  const space = db.prisma.space as Delegate;
  const creates = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ opId: randomUUID(), op: 'create', clientId: randomUUID(), data: { name: `space ${i}`, description: 'benchmark row' } }));

  // Seed: PAGE + 1 rows, so a full page has more after it.
  for (let i = 0; i < 3; i++) await core.push(auth, 'Space', creates(Math.ceil((PAGE + 1) / 3)));

  // Pull: one 1,000-item page, beside the same page read by a bare findMany.
  const pull = stats(await sample(RUNS, () => core.pull(auth, 'Space', { limit: PAGE }), 3));
  const bare = stats(
    await sample(
      RUNS,
      () => space.findMany({ where: { tenantId: auth.tenantId, syncSeq: { gt: 0 }, deletedAt: null }, orderBy: { syncSeq: 'asc' }, take: PAGE + 1 }),
      3,
    ),
  );

  // Push of 100 creates.
  const pushCreates = stats(await sample(RUNS, () => core.push(auth, 'Space', creates(100)), 3));
  const naiveCreates = stats(
    await sample(
      RUNS,
      async () => {
        for (const item of creates(100)) {
          const existing = await space.findUnique({ where: { clientId: item.clientId } });
          if (existing) await space.update({ where: { id: existing.id }, data: { ...item.data, version: { increment: 1 } } });
          else await space.create({ data: { ...item.data, clientId: item.clientId, tenantId: auth.tenantId } });
        }
      },
      3,
    ),
  );

  // Push of 100 updates, 10 of them conflicting (stale base version, older edit: lastWriteWins keeps the server's).
  const targets = (await core.pull(auth, 'Space', { limit: 100 })).items.map((r) => ({ id: String(r.id), version: Number(r.version) }));
  let round = 0;
  const updates = () => {
    round++;
    return targets.map((t, i) => ({
      opId: randomUUID(),
      op: 'update',
      id: t.id,
      baseVersion: i % 10 === 0 ? t.version - 1 : t.version,
      updatedAt: i % 10 === 0 ? '2000-01-01T00:00:00.000Z' : new Date().toISOString(),
      data: { name: `renamed ${round}` },
      base: { name: 'whatever' },
    }));
  };
  let conflicts = 0;
  const pushUpdates = stats(
    await sample(
      RUNS,
      async () => {
        const results = await core.push(auth, 'Space', updates());
        results.forEach((r, i) => {
          if (r.success) targets[i]!.version = r.version!;
          else conflicts++;
        });
      },
      3,
    ),
  );
  const naiveUpdates = stats(
    await sample(
      RUNS,
      async () => {
        for (const item of updates()) {
          const existing = await space.findUnique({ where: { id: item.id } });
          if (!existing || existing.version !== item.baseVersion) continue; // naive: a conflict is just skipped
          await space.update({ where: { id: item.id }, data: { ...item.data, version: { increment: 1 } } });
        }
      },
      3,
    ),
  );
  if (conflicts === 0) throw new Error('update benchmark produced no conflicts');

  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
  return [
    {
      case: `${name}: pull page of ${PAGE}`,
      ours: pull.text,
      baseline: `${bare.text} bare findMany`,
      note: `p95 ${ratio(pull.p95, bare.p95)} the bare findMany (target ≤ 1.5×)`,
    },
    {
      case: `${name}: push 100 creates`,
      ours: pushCreates.text,
      baseline: `${naiveCreates.text} naive per item`,
      note: `p95 ${formatMs(pushCreates.p95)} (target < 30 ms), ${ratio(naiveCreates.p95, pushCreates.p95)} faster than naive (target ≥ 5×)`,
    },
    {
      case: `${name}: push 100 updates (10 conflicting)`,
      ours: pushUpdates.text,
      baseline: `${naiveUpdates.text} naive per item`,
      note: `p95 ${formatMs(pushUpdates.p95)} (target < 60 ms), ${ratio(naiveUpdates.p95, pushUpdates.p95)} faster than naive (target ≥ 5×)`,
    },
  ];
}

const bench: BenchModule = {
  title: `server: sync core on the example schema, SQLite and PostgreSQL (${RUNS} runs each)`,
  async run() {
    const rows: BenchRow[] = [];
    const dir = mkdtempSync(join(tmpdir(), 'trackhub-bench-'));
    const sqlite = await openDatabase({ file: join(dir, 'bench.db') });
    try {
      rows.push(...(await measure('SQLite', sqlite)));
    } finally {
      await sqlite.close();
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
