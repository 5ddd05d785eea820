/**
 * Where the wall time of one HTTP pull goes (docs/PERFORMANCE.md "Server →
 * fresh device over HTTP"): the example server in its own process, timed per
 * request (arrival, raw select, execution, JSON serialization, response
 * written), and a fresh device's `engine.sync()` timed per page (request sent,
 * headers, body received, parsed, applied and committed).
 *
 *   npx tsx bench/pullSplit.ts [runs] [limit]
 *
 * Environment: LIMITS=5000,1000 alternates page sizes run by run and
 * prints each one's wall and CPU p50 (QUIET=1: those only); CLIENT_PROF=<file>
 * writes a CPU profile of the timed syncs; SERVER_PROF=<dir> runs the server
 * with `--cpu-prof`; SHOW_SQL=1 prints the server's raw selects; KEEP=1 keeps
 * the databases.
 *
 * A measuring script, not a benchmark: the figure is `npm run bench -- client-e2e`.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { logger } from '@nozbe/watermelondb/utils/common';
import { GraphqlTransport, SyncEngine, type PullPage } from '../runtime/client/index';
import { resolvePlatform } from '../runtime/client/platform';
import { pushQueue } from '../runtime/client/push';

const repo = fileURLToPath(new URL('..', import.meta.url));

if (process.argv[2] === '--serve') await serve(process.argv[3]!);
else await measure(Number(process.argv[2] ?? 5), process.argv[3] ? Number(process.argv[3]) : undefined);

/** The example server with timing hooks; each request's spans go to stdout as `T <json>`. */
async function serve(file: string) {
  const { createSchema, createYoga } = await import('graphql-yoga');
  const { syncDocumentLimits } = await import('../runtime/server/index');
  const { createResolvers, typeDefs } = await import('../examples/trackhub-core/generated/server/index');
  const { openDatabase } = await import('../examples/trackhub-core/server/database');
  const { devAuthenticator } = await import('../examples/trackhub-core/server/devAuth');
  const database = await openDatabase({ file });
  // A normal exit, so `--cpu-prof` writes its profile.
  process.once('SIGTERM', () => process.exit(0));
  const prisma = database.prisma as unknown as { $queryRawUnsafe: (...args: unknown[]) => Promise<unknown[]> };
  let current: Record<string, number> | null = null;
  const raw = prisma.$queryRawUnsafe.bind(prisma);
  prisma.$queryRawUnsafe = async (...args: unknown[]) => {
    const t0 = performance.now();
    const rows = await raw(...args);
    if (process.env.SHOW_SQL && String(args[0]).startsWith('SELECT'))
      process.stderr.write(`${JSON.stringify(args, (_k, v) => (typeof v === 'bigint' ? String(v) : v))}\n`);
    if (current && String(args[0]).startsWith('SELECT')) {
      current.selectStart = t0;
      current.selectEnd = performance.now();
    }
    return rows;
  };
  const resolvers = createResolvers({ prisma: database.prisma, dialect: database.dialect, getAuth: (c: { auth: unknown }) => c.auth } as never);
  const yoga = createYoga({
    schema: createSchema({ typeDefs, resolvers: resolvers as never }),
    context: ({ request }) => ({ auth: devAuthenticator(request) }),
    graphqlEndpoint: '/graphql',
    plugins: [
      syncDocumentLimits(),
      {
        onExecute: () => {
          if (current) current.execute = performance.now();
          return {
            onExecuteDone: () => {
              if (current) current.executeDone = performance.now();
            },
          };
        },
        onResultProcess: () => {
          if (current) current.serialize = performance.now();
        },
        onResponse: () => {
          if (current) current.response = performance.now();
        },
      },
    ],
    logging: false,
  });
  const server = createServer((req, res) => {
    const t: Record<string, number> = { arrive: performance.now() };
    current = t;
    res.on('finish', () => {
      t.finish = performance.now();
      const base = t.arrive!;
      const rel = Object.fromEntries(Object.entries(t).map(([k, v]) => [k, Math.round((v - base) * 10) / 10]));
      process.stdout.write(`T ${JSON.stringify({ at: performance.timeOrigin + base, ...rel })}\n`);
    });
    yoga(req, res);
  });
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as { port: number };
    process.stdout.write(`URL http://127.0.0.1:${port}/graphql\n`);
  });
}

/** CPU time (user + system) of a process so far, in ms (Linux `/proc`). */
function procCpu(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

async function measure(runs: number, limit: number | undefined) {
  logger.silence();
  const { createAdapters, registry } = await import('../examples/trackhub-core/generated/client/index');
  const dir = mkdtempSync(join(tmpdir(), 'pull-split-'));
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      ...(process.env.SERVER_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.SERVER_PROF}`] : []),
      fileURLToPath(import.meta.url),
      '--serve',
      join(dir, 'server.db'),
    ],
    {
      cwd: repo,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const serverSpans: Record<string, number>[] = [];
  const url = await new Promise<string>((resolve) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('URL ')) resolve(line.slice(4));
      else if (line.startsWith('T ')) serverSpans.push(JSON.parse(line.slice(2)));
    });
  });
  let n = 0;
  const { walDevice } = await import('./device');
  const freshDb = () => walDevice(join(dir, `device-${n++}`));
  const tenant = 'split';
  try {
    const seed = freshDb();
    await createAdapters({ database: seed, scopeValue: tenant }).space.createMany(
      Array.from({ length: 10_000 }, (_, i) => ({
        name: `Space ${i}`,
        description: i % 2 ? 'a description of moderate length' : null,
        viewCount: i,
        settings: { n: i },
      })),
    );
    const headers = () => ({ authorization: `Bearer dev:${tenant}:bench` });
    await pushQueue({ database: seed, registry, transport: new GraphqlTransport({ url, headers }), platform: resolvePlatform() });
    // CLIENT_PROF=<file>: a CPU profile of the timed syncs only (seeding and the warm-up left out).
    const profiler = process.env.CLIENT_PROF ? new (await import('node:inspector/promises')).Session() : null;
    profiler?.connect();
    await profiler?.post('Profiler.enable');
    // LIMITS=5000,1000: alternate the page size (`pullLimit`) run by run.
    const variants = (process.env.LIMITS ?? '').split(',').filter(Boolean);
    const byVariant = new Map<string, number[]>();
    for (let run = 0; run < (runs + 1) * Math.max(1, variants.length); run++) {
      const variant = variants[run % Math.max(1, variants.length)];
      if (run === 1) await profiler?.post('Profiler.start');
      const database = freshDb();
      await database.get('spaces').query().fetchCount();
      const events: [number, string][] = [];
      let t0 = 0;
      const mark = (what: string) => events.push([performance.now() - t0, what]);
      let req = 0;
      const timedFetch: typeof fetch = async (input, init) => {
        const id = ++req;
        const vars = JSON.parse(String(init!.body)).variables as { entity: string };
        mark(`#${id} ${vars.entity} sent`);
        const res = await fetch(input, init);
        mark(`#${id} headers`);
        const body = await res.arrayBuffer();
        mark(`#${id} body ${(body.byteLength / 1024).toFixed(0)} KB`);
        return new Response(body, { status: res.status, headers: res.headers });
      };
      const transport = new GraphqlTransport({ url, headers, fetch: timedFetch });
      const pull = transport.pull.bind(transport);
      transport.pull = async (r) => {
        const page: PullPage = await pull(r);
        mark(`  ${r.entity} parsed (${page.items.length})`);
        return page;
      };
      const engine = new SyncEngine({
        database,
        registry,
        transport,
        intervalMs: 0,
        ...(variant ? { pullLimit: Number(variant) } : limit ? { pullLimit: limit } : {}),
      });
      let lastDone = -1;
      engine.status.subscribe((s) => {
        const p = s.progress;
        if (p?.phase === 'pull' && p.done !== lastDone) {
          lastDone = p.done;
          mark(`  ${p.entity} committed (${p.done})`);
        }
      });
      serverSpans.length = 0;
      const serverCpu0 = procCpu(child.pid!);
      const cpu0 = process.cpuUsage();
      t0 = performance.now();
      const wall0 = performance.timeOrigin + t0;
      const report = await engine.sync();
      const total = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      const clientCpu = (cpu.user + cpu.system) / 1000;
      const serverCpu = procCpu(child.pid!) - serverCpu0;
      if (report.error) throw new Error(String(report.error));
      await new Promise((r) => setTimeout(r, 50));
      if (run < Math.max(1, variants.length)) continue; // warm-up
      if (variant) byVariant.set(variant, [...(byVariant.get(variant) ?? []), total]);
      // After the last Space page committed: the other entities.
      const spaceDone = events.filter(([, what]) => what.includes('Space committed')).at(-1)?.[0] ?? total;
      byVariant.set('after Space', [...(byVariant.get('after Space') ?? []), total - spaceDone]);
      byVariant.set('total', [...(byVariant.get('total') ?? []), total]);
      if (variant) byVariant.set(`${variant} cpu`, [...(byVariant.get(`${variant} cpu`) ?? []), clientCpu + serverCpu]);
      if (variant) byVariant.set(`${variant} client cpu`, [...(byVariant.get(`${variant} client cpu`) ?? []), clientCpu]);
      if (process.env.QUIET) continue;
      console.log(`\n## run ${run}: ${total.toFixed(0)} ms (CPU: device ${clientCpu.toFixed(0)} ms, server ${serverCpu.toFixed(0)} ms)`);
      for (const [t, what] of events) console.log(`${t.toFixed(1).padStart(8)}  ${what}`);
      for (const s of serverSpans) {
        const { at, ...rest } = s;
        console.log(`server @${(at! - wall0).toFixed(1)}: ${JSON.stringify(rest)}`);
      }
    }
    for (const [variant, ms] of byVariant) {
      ms.sort((a, b) => a - b);
      console.log(`${variant}: p50 ${ms[Math.floor(ms.length / 2)]!.toFixed(0)} ms; ${ms.map((m) => m.toFixed(0)).join(' ')}`);
    }
    if (profiler) {
      const { profile } = await profiler.post('Profiler.stop');
      (await import('node:fs')).writeFileSync(process.env.CLIENT_PROF!, JSON.stringify(profile));
    }
  } finally {
    child.kill();
    if (process.env.KEEP) console.log(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}
