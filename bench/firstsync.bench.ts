import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { formatMs, type BenchModule } from './support';

// First sync of a large tenant (default 1,000,000 records; BENCH_FIRSTSYNC_RECORDS)
// onto a fresh device: WatermelonDB's SQLite adapter on Node, a database file.
// Runs bench/firstSyncRun.ts in its own process so the peak RSS is its own,
// compiled into one JavaScript file first and run with plain `node`, as an
// app's bundle runs (through the tsx loader the process starts ≈ 45 MB
// larger: docs/PERFORMANCE.md "First sync of 1,000,000 records").
// Long: `npm run bench -- firstsync` runs it alone.

const RECORDS = Number(process.env.BENCH_FIRSTSYNC_RECORDS ?? 1_000_000);
const repo = fileURLToPath(new URL('..', import.meta.url));
/** Inside the repository, so the bundle's one external import (the native better-sqlite3) resolves from its node_modules. */
const bundle = `${repo}node_modules/.cache/trackhub-sync-bench/firstSyncRun.mjs`;

/** bench/firstSyncRun.ts with the runtime, the example's generated code and WatermelonDB in one ES module. */
async function compile(): Promise<void> {
  await build({
    entryPoints: [`${repo}bench/firstSyncRun.ts`],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    external: ['better-sqlite3'],
    // WatermelonDB is CommonJS and calls require (its Node driver loads better-sqlite3 so).
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    logLevel: 'error',
  });
}

const bench: BenchModule = {
  title: `first sync of ${RECORDS.toLocaleString('en')} records onto a fresh device (SQLite adapter on Node, file database, own process)`,
  async run() {
    await compile();
    const child = spawnSync(process.execPath, [bundle], {
      cwd: repo,
      encoding: 'utf8',
      env: { ...process.env, BENCH_FIRSTSYNC_RECORDS: String(RECORDS) },
      maxBuffer: 1 << 24,
    });
    if (child.status !== 0) throw new Error(`firstSyncRun failed:\n${child.stdout}\n${child.stderr}`);
    const result = JSON.parse(child.stdout.trim().split('\n').pop()!) as {
      ms: number;
      cpuMs: number;
      floorMs: number;
      floorCpuMs: number;
      peakRss: number;
      rssBefore: number;
      progressEvents: number;
    };
    const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
    return [
      {
        case: `first sync, ${RECORDS.toLocaleString('en')} records`,
        ours: `${formatMs(result.ms)} (CPU ${formatMs(result.cpuMs)})`,
        baseline: 'PowerSync users report 47–62 s for 1M rows (React Native)',
        note: `${Math.round(RECORDS / (result.ms / 1000)).toLocaleString('en')} records/s (target < 30 s for 1M)`,
      },
      {
        case: 'peak RSS of the process',
        ours: mb(result.peakRss),
        baseline: `${mb(result.rssBefore)} before the sync`,
        note: 'target < 300 MB',
      },
      { case: 'progress events (status.progress, pull)', ours: String(result.progressEvents), baseline: '', note: 'one per page' },
      {
        case: 'floor: raw better-sqlite3 insert, no indexes, a transaction per page',
        ours: '',
        baseline: `${formatMs(result.floorMs)} (CPU ${formatMs(result.floorCpuMs)})`,
        note: `ours / floor ${(result.ms / result.floorMs).toFixed(1)}× wall, ${(result.cpuMs / result.floorCpuMs).toFixed(1)}× CPU`,
      },
    ];
  },
};

export default bench;
