/**
 * The measured process of `bench/firstsync.bench.ts` (its own process, so its
 * peak RSS is this benchmark's alone; compiled into one file and run with
 * plain `node` there). Prints one JSON line.
 *
 * A fresh device (WatermelonDB's SQLite adapter on Node, a database file in
 * WAL mode as on iOS/Android) runs the engine's first sync of RECORDS records
 * from an in-process transport that builds each page on demand and passes it
 * through JSON text, as a response body would (the server side is measured by
 * `server.bench.ts`). Pages are produced, applied and dropped one at a time:
 * nothing holds the whole data set. Then the floor: the same rows through a
 * raw better-sqlite3 prepared insert into a table without indexes, one
 * transaction per page.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import * as sqliteModule from '@nozbe/watermelondb/adapters/sqlite';
import { logger } from '@nozbe/watermelondb/utils/common';
import { SyncEngine, entityMeta, wireToRaw, type PullPage, type SyncTransport, type WireRecord } from '../runtime/client/index';
import { interopDefault } from '../runtime/client/interop';
import { DEFAULT_PULL_LIMIT } from '../runtime/client/pull';
import { registry } from '../examples/trackhub-core/generated/client/index';
import { pulledSpace } from './pulledSpace';
import { walDevice } from './device';

const _SQLiteAdapter = interopDefault(sqliteModule) as unknown as typeof sqliteModule.default;
const RECORDS = Number(process.env.BENCH_FIRSTSYNC_RECORDS ?? 1_000_000);
logger.silence();

const meta = entityMeta(registry, 'Space');
const record = (i: number): WireRecord => pulledSpace(i, 8);

/** Page `[start, start + limit)` as the client receives it: parsed from JSON text. */
function pageText(start: number, limit: number): string {
  const end = Math.min(RECORDS, start + limit);
  const items: WireRecord[] = [];
  for (let i = start; i < end; i++) items.push(record(i));
  return JSON.stringify({ items, deletedIds: [], lastSyncAt: new Date().toISOString(), cursor: String(end), hasMore: end < RECORDS });
}

/**
 * This process's own peak resident set: Linux's `VmHWM`, the high-water mark
 * of its address space. Not `process.resourceUsage().maxRSS`: spawned by the
 * bench runner after other groups, that said 341 MB where `VmHWM` said 192 MB
 * (the runner's memory, not this process's: docs/PERFORMANCE.md "First sync
 * of 1,000,000 records"). Elsewhere `maxRSS` is all there is.
 */
function peakRssOfThisProcess(): number {
  try {
    const kb = /^VmHWM:\s*(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (kb) return Number(kb) * 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS * 1024;
}

const transport: SyncTransport = {
  pull: async ({ entity, cursor, limit }) => {
    if (entity !== meta.name) return { items: [], deletedIds: [], lastSyncAt: new Date().toISOString(), cursor: '0', hasMore: false };
    return JSON.parse(pageText(cursor ? Number(cursor) : 0, limit ?? DEFAULT_PULL_LIMIT)) as PullPage;
  },
  push: async () => [],
};

const dir = mkdtempSync(join(tmpdir(), 'bench-firstsync-'));
try {
  const file = join(dir, 'device');
  const database = walDevice(file);
  await database.get('spaces').query().fetchCount();
  const engine = new SyncEngine({ database, registry, transport, intervalMs: 0 });
  let progressEvents = 0;
  let lastDone = 0;
  engine.status.subscribe((s) => {
    if (s.progress?.phase === 'pull' && s.progress.entity === meta.name && s.progress.done !== lastDone) {
      progressEvents++;
      lastDone = s.progress.done;
    }
  });
  const rssBefore = process.memoryUsage().rss;
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  const report = await engine.sync();
  const ms = performance.now() - start;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const peakRss = peakRssOfThisProcess();
  if (report.error) throw new Error(report.error);
  const count = await database.get('spaces').query().fetchCount();
  if (count !== RECORDS) throw new Error(`first sync: ${count} records, expected ${RECORDS}`);

  // Floor: the same rows, raw prepared insert into a table without indexes, one transaction per page.
  const raw = new BetterSqlite3(join(dir, 'floor.db'));
  raw.pragma('journal_mode = WAL');
  const columns = ['id', 'server_id', ...meta.fields.map((f) => f.column)];
  raw.exec(`create table spaces (${columns.map((c) => `"${c}"`).join(', ')})`);
  const insert = raw.prepare(`insert into spaces (${columns.map((c) => `"${c}"`).join(', ')}) values (${columns.map(() => '?').join(', ')})`);
  const floorCpuBefore = process.cpuUsage();
  const floorStart = performance.now();
  for (let at = 0; at < RECORDS; at += DEFAULT_PULL_LIMIT) {
    const page = JSON.parse(pageText(at, DEFAULT_PULL_LIMIT)) as PullPage;
    raw.transaction(() => {
      for (const item of page.items) {
        const row = { ...wireToRaw(meta, item), id: String(item.id), server_id: String(item.id) } as Record<string, unknown>;
        insert.run(...columns.map((c) => row[c] ?? null));
      }
    })();
  }
  const floorMs = performance.now() - floorStart;
  const floorCpu = process.cpuUsage(floorCpuBefore);
  const floorCpuMs = (floorCpu.user + floorCpu.system) / 1000;
  raw.close();
  console.log(
    JSON.stringify({ records: RECORDS, ms, cpuMs, floorMs, floorCpuMs, peakRss, rssBefore, progressEvents, pages: report.pull[meta.name] }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
