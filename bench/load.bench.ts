import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../examples/trackhub-core/server/database';
import { startPostgres } from '../tests/support/postgres';
import { stats, type BenchModule, type BenchRow } from './support';

/**
 * Load (issue #13): N simulated devices (default 50, in 10 tenants) each
 * pushing a batch and pulling from its cursor in a loop, over HTTP, against
 * ONE example-server process (`npm run example:server -- --database-url …`)
 * on PostgreSQL 15 (local, fsync off). Prints item writes/s, pull records/s
 * and p50/p95 latency beside the published anchors: ElectricSQL 4,000–6,000
 * row changes/s, Zero ~2,500 writes/s (one customer). Those are other
 * systems on other machines: anchors for scale, not a same-run baseline.
 *
 *   npm run bench -- load
 *   LOAD_DEVICES=50 LOAD_SECONDS=30 LOAD_BATCH=20 npm run bench -- load
 */

const DEVICES = Number(process.env.LOAD_DEVICES ?? 50);
const TENANTS = Number(process.env.LOAD_TENANTS ?? 10);
const SECONDS = Number(process.env.LOAD_SECONDS ?? 20);
const BATCH = Number(process.env.LOAD_BATCH ?? 20);

const root = fileURLToPath(new URL('..', import.meta.url));
const PUSH = `mutation($items: [JSON!]!) { syncPush(entity: "Space", items: $items) { id success version } }`;
const PULL = `query($cursor: String) { syncPull(entity: "Space", cursor: $cursor, limit: 1000) { items deletedIds cursor hasMore } }`;

async function startServerProcess(databaseUrl: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'examples/trackhub-core/server/main.ts', '--port', '0', '--database-url', databaseUrl], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /(http:\/\/127\.0\.0\.1:\d+\/graphql)/.exec(out);
      if (match) resolve({ url: match[1]!, child });
    });
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`server exited (${code}):\n${out}`)));
  });
}

interface Totals {
  writes: number;
  refused: number;
  pulled: number;
  pushMs: number[];
  pullMs: number[];
  errors: number;
}

async function device(url: string, tenant: string, until: number, totals: Totals): Promise<void> {
  const headers = { 'content-type': 'application/json', authorization: `Bearer dev:${tenant}:${randomUUID()}` };
  const post = async <T>(query: string, variables: object): Promise<T | null> => {
    const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    const body = (await response.json()) as { data?: T; errors?: unknown };
    if (body.errors || !body.data) {
      totals.errors++;
      return null;
    }
    return body.data;
  };
  const mine: { id: string; version: number }[] = [];
  let cursor: string | null = null;
  while (Date.now() < until) {
    // 70 % creates, 30 % updates of the device's own records.
    const now = new Date().toISOString();
    // Distinct targets: two updates of one record from the same base version would conflict.
    const targets = [...mine].sort(() => Math.random() - 0.5);
    const items = Array.from({ length: BATCH }, (_, i) => {
      const target = i % 10 >= 7 ? (targets.pop() ?? null) : null;
      return target
        ? { opId: randomUUID(), op: 'update', id: target.id, baseVersion: target.version, updatedAt: now, data: { description: `edit ${now}` } }
        : { opId: randomUUID(), op: 'create', clientId: randomUUID(), data: { name: `load ${i}`, description: 'load row', settings: { n: i } } };
    });
    let start = performance.now();
    const pushed = await post<{ syncPush: { id: string; success: boolean; version: number }[] }>(PUSH, { items });
    totals.pushMs.push(performance.now() - start);
    for (const r of pushed?.syncPush ?? []) {
      if (!r.success) {
        totals.refused++;
        continue;
      }
      totals.writes++;
      const own = mine.find((m) => m.id === r.id);
      if (own) own.version = r.version;
      else mine.push({ id: r.id, version: r.version });
    }
    // Pull everything the tenant's devices wrote since this device's cursor.
    for (let more = true; more && Date.now() < until; ) {
      start = performance.now();
      const page: { syncPull: { items: unknown[]; deletedIds: string[]; cursor: string; hasMore: boolean } } | null = await post(PULL, { cursor });
      totals.pullMs.push(performance.now() - start);
      if (!page) break;
      totals.pulled += page.syncPull.items.length + page.syncPull.deletedIds.length;
      cursor = page.syncPull.cursor;
      more = page.syncPull.hasMore;
    }
  }
}

const rate = (n: number, seconds: number) => `${Math.round(n / seconds).toLocaleString('en-US')}/s`;

export default {
  title: `Load: ${DEVICES} devices (${TENANTS} tenants), push ${BATCH} items then pull, for ${SECONDS} s, one server process on PostgreSQL`,
  async run(): Promise<BenchRow[]> {
    const pg = await startPostgres();
    let server: { url: string; child: ChildProcess } | null = null;
    try {
      const databaseUrl = await pg.createDatabase('load');
      const db = await openDatabase({ url: databaseUrl }); // creates the tables once
      await db.close();
      server = await startServerProcess(databaseUrl);
      const totals: Totals = { writes: 0, refused: 0, pulled: 0, pushMs: [], pullMs: [], errors: 0 };
      // Warm-up: one round per tenant, not counted.
      await Promise.all(
        Array.from({ length: TENANTS }, (_, t) => device(server!.url, `load-${t}`, Date.now() + 500, { ...totals, pushMs: [], pullMs: [] })),
      );
      const started = Date.now();
      await Promise.all(Array.from({ length: DEVICES }, (_, d) => device(server!.url, `load-${d % TENANTS}`, started + SECONDS * 1000, totals)));
      const elapsed = (Date.now() - started) / 1000;
      const push = stats(totals.pushMs);
      const pull = stats(totals.pullMs);
      const note = `${totals.pushMs.length} pushes, ${totals.pullMs.length} pulls, ${totals.refused} items refused, ${totals.errors} request errors in ${elapsed.toFixed(1)} s`;
      return [
        {
          case: 'item writes (creates + updates)',
          ours: rate(totals.writes, elapsed),
          baseline: 'published: ElectricSQL 4,000–6,000 row changes/s; Zero ~2,500 writes/s',
          note,
        },
        {
          case: 'pull records delivered',
          ours: rate(totals.pulled, elapsed),
          baseline: '—',
          note: 'every device pulls its tenant’s changes after each push',
        },
        { case: `push latency (${BATCH} items)`, ours: push.text, baseline: '—', note: 'p50 / p95' },
        { case: 'pull latency (page ≤ 1000)', ours: pull.text, baseline: '—', note: 'p50 / p95' },
      ];
    } finally {
      if (server && server.child.exitCode === null) {
        const exited = new Promise((resolve) => server!.child.once('exit', resolve));
        server.child.kill('SIGTERM');
        await exited;
      }
      pg.stop();
    }
  },
} satisfies BenchModule;
