import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from '@nozbe/watermelondb';
import * as sqliteModule from '@nozbe/watermelondb/adapters/sqlite';
import { interopDefault } from '../runtime/client/interop';
import { synchronize } from '@nozbe/watermelondb/sync';
import { logger } from '@nozbe/watermelondb/utils/common';
import { entityMeta, wireToRaw, type PullPage, type SyncTransport, type WireRecord } from '../runtime/client/index';
import { resolvePlatform } from '../runtime/client/platform';
import { DEFAULT_PULL_LIMIT, pullEntity } from '../runtime/client/pull';
import { registry } from '../examples/trackhub-core/generated/client/index';
import { pulledSpace } from './pulledSpace';
import { walDevice, walFile } from './device';
import { stats, type BenchModule } from './support';

// Applying 10,000 pulled records to WatermelonDB on SQLite (better-sqlite3, a
// database file in WAL mode as on a device), three ways on the same records in the same run:
// - ours: the engine's pull (its default page size, each page in one transaction with its
//   cursor, pending-change and foreign-key checks), from an in-process transport;
// - WatermelonDB's own synchronize() with the same records as `created` (converted from the
//   server's JSON in pullChanges, as an app must; and once more given pre-converted raws);
// - the floor: a raw better-sqlite3 prepared insert of the same rows in one transaction.

const _SQLiteAdapter = interopDefault(sqliteModule) as unknown as typeof sqliteModule.default;
const COUNT = Number(process.env.BENCH_RECORDS ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const PAGE = Number(process.env.BENCH_PAGE ?? DEFAULT_PULL_LIMIT);
logger.silence();

const meta = entityMeta(registry, 'Space');
const records = Array.from({ length: COUNT }, (_, i) => pulledSpace(i, 6));

const rawRows = records.map((r) => ({ ...wireToRaw(meta, r), id: r.id, server_id: r.id }));
/** The same records changed on the server (version 2): a pull of updates to records the device holds. */
const updates: WireRecord[] = records.map((r) => ({
  ...r,
  version: 2,
  name: `${r.name as string} (renamed)`,
  viewCount: (r.viewCount as number) + 1,
}));

function freshDatabase(dir: string, name: string): Database {
  return walDevice(join(dir, name));
}

/**
 * Runs every variant once per round (after a warm-up round) and collects the
 * milliseconds each reports: setup stays outside the timing.
 */
async function interleaved(runs: number, variants: (() => Promise<number>)[]): Promise<number[][]> {
  for (const v of variants) await v();
  const out = variants.map(() => [] as number[]);
  for (let i = 0; i < runs; i++) for (const [k, v] of variants.entries()) out[k]!.push(await v());
  return out;
}

const bench: BenchModule = {
  title: `client: apply ${COUNT.toLocaleString('en')} pulled records to WatermelonDB on SQLite (${RUNS} runs, fresh database file each)`,
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'bench-apply-'));
    let n = 0;
    try {
      const transport: SyncTransport = {
        pull: async ({ cursor }) => {
          const start = cursor ? Number(cursor) : 0;
          const items = records.slice(start, start + PAGE);
          const page: PullPage = {
            items,
            deletedIds: [],
            lastSyncAt: new Date().toISOString(),
            cursor: String(start + items.length),
            hasMore: start + PAGE < COUNT,
          };
          return page;
        },
        push: async () => [],
      };
      // `observed`: a query observes the table during the pull, so every record goes through a
      // WatermelonDB Model (and observers see it); unobserved, new rows are bulk-inserted (bulkInsert.ts).
      const oursRun = (observed: boolean) => async () => {
        const database = freshDatabase(dir, `ours-${n++}`);
        await database.get('spaces').query().fetchCount(); // opens the file and creates the tables, untimed
        const subscription = observed
          ? database
              .get('spaces')
              .query()
              .observe()
              .subscribe(() => {})
          : null;
        const start = performance.now();
        await pullEntity({ database, registry, transport, platform: resolvePlatform() }, meta);
        const ms = performance.now() - start;
        subscription?.unsubscribe();
        if ((await database.get('spaces').query().fetchCount()) !== COUNT) throw new Error('ours: wrong count');
        return ms;
      };
      const viaSynchronize = (convert: boolean) => async () => {
        const database = freshDatabase(dir, `wm-${n++}`);
        await database.get('spaces').query().fetchCount();
        const start = performance.now();
        await synchronize({
          database,
          // An app on synchronize() converts the server's JSON to raw records in pullChanges.
          pullChanges: async () => ({
            changes: {
              spaces: {
                created: convert ? records.map((r) => ({ ...wireToRaw(meta, r), id: r.id, server_id: r.id })) : rawRows,
                updated: [],
                deleted: [],
              },
            },
            timestamp: Date.now(),
          }),
          pushChanges: async () => {},
          sendCreatedAsUpdated: false,
        });
        const ms = performance.now() - start;
        if ((await database.get('spaces').query().fetchCount()) !== COUNT) throw new Error('synchronize: wrong count');
        return ms;
      };
      const floorRun = async () => {
        const name = `raw-${n++}`;
        walFile(join(dir, name));
        const db = new BetterSqlite3(join(dir, `${name}.db`));
        const columns = ['id', 'server_id', ...meta.fields.map((f) => f.column)];
        db.exec(`create table spaces (${columns.map((c) => `"${c}"`).join(', ')})`);
        const insert = db.prepare(`insert into spaces (${columns.map((c) => `"${c}"`).join(', ')}) values (${columns.map(() => '?').join(', ')})`);
        const start = performance.now();
        db.transaction(() => {
          for (const row of rawRows)
            insert.run(
              ...columns.map((c) => {
                const v = (row as Record<string, unknown>)[c] ?? null;
                return typeof v === 'boolean' ? Number(v) : v;
              }),
            );
        })();
        const ms = performance.now() - start;
        db.close();
        return ms;
      };
      // The same raw insert into WatermelonDB's own table (its primary key and indexes on
      // _status and server_id), created by the adapter: what SQLite itself costs for that table.
      const indexedFloorRun = async () => {
        const name = `raw-wm-${n++}`;
        const database = freshDatabase(dir, name);
        await database.get('spaces').query().fetchCount();
        const db = new BetterSqlite3(join(dir, `${name}.db`));
        const columns = ['id', '_status', '_changed', 'server_id', ...meta.fields.map((f) => f.column)];
        const insert = db.prepare(`insert into spaces (${columns.map((c) => `"${c}"`).join(', ')}) values (${columns.map(() => '?').join(', ')})`);
        const start = performance.now();
        db.transaction(() => {
          for (const row of rawRows)
            insert.run(
              ...columns.map((c) => {
                const v = c === '_status' ? 'synced' : c === '_changed' ? '' : ((row as Record<string, unknown>)[c] ?? null);
                return typeof v === 'boolean' ? Number(v) : v;
              }),
            );
        })();
        const ms = performance.now() - start;
        db.close();
        return ms;
      };
      // Updates: the device already holds the records (set up untimed), the server sends them changed.
      const updateTransport: SyncTransport = {
        pull: async ({ cursor }) => {
          const start = cursor?.startsWith('u') ? Number(cursor.slice(1)) : 0;
          const items = updates.slice(start, start + PAGE);
          return { items, deletedIds: [], lastSyncAt: new Date().toISOString(), cursor: `u${start + items.length}`, hasMore: start + PAGE < COUNT };
        },
        push: async () => [],
      };
      const oursUpdate = async () => {
        const database = freshDatabase(dir, `ours-u-${n++}`);
        await pullEntity({ database, registry, transport, platform: resolvePlatform() }, meta);
        const start = performance.now();
        const report = await pullEntity({ database, registry, transport: updateTransport, platform: resolvePlatform() }, meta);
        const ms = performance.now() - start;
        if (report.updated !== COUNT) throw new Error(`ours update: ${JSON.stringify(report)}`);
        return ms;
      };
      const syncUpdate = async () => {
        const database = freshDatabase(dir, `wm-u-${n++}`);
        await synchronize({
          database,
          pullChanges: async () => ({ changes: { spaces: { created: rawRows, updated: [], deleted: [] } }, timestamp: 1 }),
          pushChanges: async () => {},
          sendCreatedAsUpdated: false,
        });
        const start = performance.now();
        await synchronize({
          database,
          pullChanges: async () => ({
            changes: { spaces: { created: [], updated: updates.map((r) => ({ ...wireToRaw(meta, r), id: r.id, server_id: r.id })), deleted: [] } },
            timestamp: 2,
          }),
          pushChanges: async () => {},
        });
        return performance.now() - start;
      };
      // Interleaved, so load from other processes hits every variant alike.
      const [ours, oursObserved, wm, wmRaw, floor, indexedFloor, oursU, wmU] = await interleaved(RUNS, [
        oursRun(false),
        oursRun(true),
        viaSynchronize(true),
        viaSynchronize(false),
        floorRun,
        indexedFloorRun,
        oursUpdate,
        syncUpdate,
      ]);
      const o = stats(ours);
      const oo = stats(oursObserved);
      const w = stats(wm);
      const f = stats(floor);
      const wr = stats(wmRaw);
      const ou = stats(oursU);
      const wu = stats(wmU);
      return [
        {
          case: `apply ${COUNT} pulled records (pages of ${PAGE})`,
          ours: o.text,
          baseline: `synchronize(): ${w.text}`,
          note: `ratio ${(o.p50 / w.p50).toFixed(2)} (target ≤ 1.0)`,
        },
        {
          case: 'the same, table observed (a Model per record, observers notified)',
          ours: oo.text,
          baseline: `synchronize(): ${w.text}`,
          note: `ratio ${(oo.p50 / w.p50).toFixed(2)}; ours / floor ${(oo.p50 / stats(floor).p50).toFixed(1)}×`,
        },
        { case: 'synchronize() given raw records already converted', ours: '', baseline: wr.text, note: `ratio ${(o.p50 / wr.p50).toFixed(2)}` },
        {
          case: 'floor: raw better-sqlite3 insert, one transaction',
          ours: '',
          baseline: f.text,
          note: `ours / floor ${(o.p50 / f.p50).toFixed(1)}× (target ≤ 3×)`,
        },
        {
          case: "floor: the same raw insert into WatermelonDB's table (its indexes)",
          ours: '',
          baseline: stats(indexedFloor).text,
          note: `ours / this floor ${(o.p50 / stats(indexedFloor).p50).toFixed(1)}×`,
        },
        {
          case: `apply ${COUNT} pulled updates to records the device holds`,
          ours: ou.text,
          baseline: `synchronize() updated: ${wu.text}`,
          note: `ratio ${(ou.p50 / wu.p50).toFixed(2)}`,
        },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default bench;
