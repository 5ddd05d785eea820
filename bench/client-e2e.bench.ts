import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as sqliteModule from '@nozbe/watermelondb/adapters/sqlite';
import { synchronize } from '@nozbe/watermelondb/sync';
import { logger } from '@nozbe/watermelondb/utils/common';
import { GraphqlTransport, SyncEngine, entityMeta, wireToRaw, type WireRecord } from '../runtime/client/index';
import { interopDefault } from '../runtime/client/interop';
import { resolvePlatform } from '../runtime/client/platform';
import { DEFAULT_PULL_LIMIT } from '../runtime/client/pull';
import { pushQueue } from '../runtime/client/push';
import { createAdapters, registry } from '../examples/trackhub-core/generated/client/index';
import { stats, type BenchModule } from './support';
import { walDevice } from './device';

// End to end against the example server (`npm run example:server`, its own
// process, SQLite file) over HTTP on 127.0.0.1, device databases on
// WatermelonDB's SQLite adapter (files in WAL mode, as on a device), same run, interleaved:
// - server → device: a fresh device pulls 10,000 records (engine sync) vs
//   WatermelonDB's synchronize() whose pullChanges pages the same GraphQL API;
// - device → server: 10,000 queued creates pushed and acknowledged (engine push)
//   vs synchronize() whose pushChanges posts the same records to the same API in
//   batches of 100, and vs synchronize() with a no-op pushChanges.

const _SQLiteAdapter = interopDefault(sqliteModule) as unknown as typeof sqliteModule.default;
const COUNT = Number(process.env.BENCH_RECORDS ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const repo = fileURLToPath(new URL('..', import.meta.url));
const meta = entityMeta(registry, 'Space');
logger.silence();

async function startServer(dir: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'examples/trackhub-core/server/main.ts', '--port', '0', '--db', join(dir, 'server.db')], {
    cwd: repo,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /(http:\/\/\S+\/graphql)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}): ${out}`)));
  });
  return { url, child };
}

const bench: BenchModule = {
  title: `client end to end: ${COUNT.toLocaleString('en')} records over HTTP against the example server (separate process, SQLite), ${RUNS} runs`,
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'bench-client-e2e-'));
    const { url, child } = await startServer(dir);
    let n = 0;
    const transport = (tenant: string) => new GraphqlTransport({ url, headers: () => ({ authorization: `Bearer dev:${tenant}:bench` }) });
    const freshDb = () => walDevice(join(dir, `device-${n++}`));
    const inputs = Array.from({ length: COUNT }, (_, i) => ({
      name: `Space ${i}`,
      description: i % 2 ? 'a description of moderate length' : null,
      viewCount: i,
      settings: { n: i },
    }));
    try {
      // BENCH_E2E=pull: the server → device half alone; BENCH_E2E=push: the device → server half alone.
      const pullOnly = process.env.BENCH_E2E === 'pull';
      const pushOnly = process.env.BENCH_E2E === 'push';
      // Seed one tenant with COUNT records for the pull runs.
      const seedTenant = `pull${process.pid}`;
      if (!pushOnly) {
        const seedDb = freshDb();
        await createAdapters({ database: seedDb, scopeValue: seedTenant }).space.createMany(inputs);
        await pushQueue({ database: seedDb, registry, transport: transport(seedTenant), platform: resolvePlatform() });
      }

      const pullOurs = async () => {
        const database = freshDb();
        await database.get('spaces').query().fetchCount();
        const engine = new SyncEngine({ database, registry, transport: transport(seedTenant), intervalMs: 0 });
        const start = performance.now();
        const report = await engine.sync();
        const ms = performance.now() - start;
        if (report.error || report.pull.Space!.created !== COUNT) throw new Error(`pull: ${report.error}`);
        return ms;
      };
      const pullWm = async () => {
        const database = freshDb();
        await database.get('spaces').query().fetchCount();
        const t = transport(seedTenant);
        const start = performance.now();
        await synchronize({
          database,
          pullChanges: async () => {
            const created: WireRecord[] = [];
            let cursor: string | null = null;
            for (;;) {
              const page = await t.pull({ entity: 'Space', cursor, limit: DEFAULT_PULL_LIMIT });
              for (const r of page.items) created.push({ ...wireToRaw(meta, r), id: r.id, server_id: r.id });
              cursor = page.cursor;
              if (!page.hasMore) break;
            }
            return { changes: { spaces: { created, updated: [], deleted: [] } }, timestamp: Date.now() };
          },
          pushChanges: async () => {},
          sendCreatedAsUpdated: false,
        });
        const ms = performance.now() - start;
        if ((await database.get('spaces').query().fetchCount()) !== COUNT) throw new Error('synchronize pull: wrong count');
        return ms;
      };
      const pushOurs = async () => {
        const tenant = `push${process.pid}x${n}`;
        const database = freshDb();
        await createAdapters({ database, scopeValue: tenant }).space.createMany(inputs);
        let error: string | undefined;
        const start = performance.now();
        const report = await pushQueue({
          database,
          registry,
          transport: transport(tenant),
          platform: resolvePlatform(),
          concurrency: process.env.BENCH_PUSH_CONCURRENCY ? Number(process.env.BENCH_PUSH_CONCURRENCY) : undefined,
          onBatch: (batch) => {
            error ??= batch.error?.message;
          },
        });
        const ms = performance.now() - start;
        if (report.acknowledged !== COUNT) throw new Error(`push: ${JSON.stringify(report)} ${error ?? ''}`);
        return ms;
      };
      const pushWm = (overHttp: boolean) => async () => {
        const tenant = `wm${process.pid}x${n}`;
        const database = freshDb();
        await database.write(() =>
          database.batch(
            inputs.map((input) =>
              database.get('spaces').prepareCreate((r) => {
                const raw = wireToRaw(meta, { ...input, version: 0, tenantId: tenant });
                for (const [k, v] of Object.entries(raw)) r._setRaw(k, v);
              }),
            ),
          ),
        );
        const t = transport(tenant);
        const start = performance.now();
        await synchronize({
          database,
          pullChanges: async () => ({ changes: {}, timestamp: Date.now() }),
          pushChanges: async ({ changes }) => {
            if (!overHttp) return;
            const created = ((changes as Record<string, { created: unknown[] } | undefined>).spaces?.created ?? []) as Record<string, unknown>[];
            for (let i = 0; i < created.length; i += 100) {
              const items = created.slice(i, i + 100).map((raw) => {
                const wire = { ...raw } as WireRecord;
                const data: WireRecord = {};
                for (const f of meta.fields)
                  if (f.push !== 'never')
                    data[f.name] =
                      wire[f.column] === undefined
                        ? null
                        : f.kind === 'json' && typeof wire[f.column] === 'string'
                          ? JSON.parse(wire[f.column] as string)
                          : f.kind === 'date' && wire[f.column] != null
                            ? new Date(wire[f.column] as number).toISOString()
                            : wire[f.column];
                return {
                  opId: `op-${raw.id as string}`,
                  op: 'create' as const,
                  clientId: raw.id as string,
                  updatedAt: new Date().toISOString(),
                  data,
                };
              });
              const results = await t.push({ entity: 'Space', items });
              if (results.some((r) => !r.success)) throw new Error(`push failed: ${JSON.stringify(results.find((r) => !r.success))}`);
            }
          },
        });
        return performance.now() - start;
      };

      const pushVariants = [pushOurs, pushWm(true), pushWm(false)];
      const variants = pullOnly ? [pullOurs, pullWm] : pushOnly ? pushVariants : [pullOurs, pullWm, ...pushVariants];
      for (const v of variants) await v(); // warm-up round
      const samples = variants.map(() => [] as number[]);
      for (let i = 0; i < RUNS; i++) for (const [k, v] of variants.entries()) samples[k]!.push(await v());
      const all = samples.map(stats);
      type Stats = ReturnType<typeof stats>;
      const [po, pw] = (pushOnly ? [null, null] : all.slice(0, 2)) as [Stats | null, Stats | null];
      const [so, sw, sn] = all.slice(pushOnly ? 0 : 2) as [Stats, Stats, Stats];
      const pullRow = po &&
        pw && {
          case: `server → device: ${COUNT} records, full sync of a fresh device`,
          ours: po.text,
          baseline: `synchronize() paging the same API: ${pw.text}`,
          note: `${Math.round(COUNT / (po.p50 / 1000)).toLocaleString('en')} records/s (target < 300 ms for 10,000; PowerSync: 2,000–20,000 ops/s); ratio ${(po.p50 / pw.p50).toFixed(2)}`,
        };
      if (pullOnly && pullRow) return [pullRow];
      return [
        ...(pullRow ? [pullRow] : []),
        {
          case: `device → server: ${COUNT} queued creates pushed and acknowledged`,
          ours: so.text,
          baseline: `synchronize() posting batches of 100: ${sw.text}`,
          note: `target < 1 s for 10,000; ratio ${(so.p50 / sw.p50).toFixed(2)}`,
        },
        { case: `synchronize() push with a no-op pushChanges`, ours: '', baseline: sn.text, note: 'marking records synced only' },
      ];
    } finally {
      child.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default bench;
