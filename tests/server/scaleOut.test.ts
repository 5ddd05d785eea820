import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase } from '../../examples/trackhub-core/server/database';
import { startPostgres, type PostgresServer } from '../support/postgres';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Scale-out as teams run it (issue #13): two processes of the example server
 * (`npm run example:server -- --port 0 --database-url …`) on ONE PostgreSQL
 * database, writers pushing creates, updates and deletes through both at
 * once, and a reader paging through either (each page from a random one).
 * The reader must end with exactly the database's live rows and versions.
 */

interface ServerProcess {
  url: string;
  child: ChildProcess;
}

let pgServer: PostgresServer | undefined;
let databaseUrl = '';
const servers: ServerProcess[] = [];

beforeAll(async () => {
  pgServer = await startPostgres();
  databaseUrl = await pgServer.createDatabase(`scale_${process.pid}`);
  // Tables first (the example server creates them only in an empty database), then both processes.
  const db = await openDatabase({ url: databaseUrl });
  await db.close();
  servers.push(...(await Promise.all([startProcess(databaseUrl), startProcess(databaseUrl)])));
});

afterAll(async () => {
  for (const s of servers) await stopProcess(s.child);
  pgServer?.stop();
});

function startProcess(url: string): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'examples/trackhub-core/server/main.ts', '--port', '0', '--database-url', url], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no URL printed:\n${out}`)), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /(http:\/\/127\.0\.0\.1:\d+\/graphql)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ url: match[1]!, child });
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`server exited (${code}):\n${out}`)));
  });
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function gql<T>(url: string, query: string, variables: Record<string, unknown>, tenant: string): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer dev:${tenant}:u` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data!;
}

const PUSH = `mutation($items: [JSON!]!) { syncPush(entity: "Space", items: $items) { id success errorCode version } }`;
const PULL = `query($cursor: String) { syncPull(entity: "Space", cursor: $cursor, limit: 7) { items deletedIds cursor hasMore } }`;

it('two server processes on one PostgreSQL database: concurrent writers on both, a reader through either ends equal to the database', async () => {
  const t = `scale-${process.pid}`;
  const WRITERS_PER_SERVER = 2;
  const ROUNDS = 10;
  let writing = true;
  let op = 0;

  const writer = async (w: number, server: ServerProcess) => {
    const mine: { id: string; version: number }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const now = new Date().toISOString();
      const items = [
        ...Array.from({ length: 3 }, (_, i) => ({
          opId: `w${w}-${++op}`,
          op: 'create',
          clientId: `c-${w}-${round}-${i}`,
          data: { name: `w${w} r${round} ${i}` },
        })),
        ...mine.slice(-2).map((r) => ({
          opId: `w${w}-${++op}`,
          op: 'update',
          id: r.id,
          baseVersion: r.version,
          updatedAt: now,
          data: { description: `w${w} r${round}` },
        })),
        ...(round % 3 === 2 && mine.length > 3
          ? [{ opId: `w${w}-${++op}`, op: 'delete', id: mine[0]!.id, baseVersion: mine[0]!.version, updatedAt: now }]
          : []),
      ];
      const { syncPush } = await gql<{ syncPush: { id: string; success: boolean; errorCode: string | null; version: number }[] }>(
        server.url,
        PUSH,
        { items },
        t,
      );
      syncPush.forEach((r, i) => {
        expect(r.success, JSON.stringify(r)).toBe(true);
        const sent = items[i]!;
        if (sent.op === 'delete')
          mine.splice(
            mine.findIndex((m) => m.id === r.id),
            1,
          );
        else {
          const own = mine.find((m) => m.id === r.id);
          if (own) own.version = r.version;
          else mine.push({ id: r.id, version: r.version });
        }
      });
    }
  };

  // The reader applies pages as a client does (id -> version), each page from a random server.
  const seen = new Map<string, number>();
  let cursor: string | null = null;
  let pages = 0;
  const perServer = [0, 0];
  const readPage = async () => {
    const which = Math.floor(Math.random() * servers.length);
    perServer[which]!++;
    const { syncPull: page } = await gql<{
      syncPull: { items: { id: string; version: number }[]; deletedIds: string[]; cursor: string; hasMore: boolean };
    }>(servers[which]!.url, PULL, { cursor }, t);
    pages++;
    for (const record of page.items) seen.set(record.id, record.version);
    for (const id of page.deletedIds) seen.delete(id);
    cursor = page.cursor;
    return page.hasMore;
  };
  const reader = async () => {
    while (writing && pages < 5_000) await readPage();
    while (await readPage()) if (pages > 10_000) throw new Error('reader never caught up');
  };

  const readerDone = reader();
  await Promise.all(servers.flatMap((server, s) => Array.from({ length: WRITERS_PER_SERVER }, (_, w) => writer(s * WRITERS_PER_SERVER + w, server))));
  writing = false;
  await readerDone;

  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string; version: number }>(
      `SELECT "id", "version" FROM "Space" WHERE "tenantId" = $1 AND "deletedAt" IS NULL`,
      [t],
    );
    const inDatabase = new Map(rows.map((r) => [r.id, Number(r.version)]));
    expect(inDatabase.size).toBeGreaterThan(servers.length * WRITERS_PER_SERVER * ROUNDS * 2);
    expect(new Map([...seen].sort())).toEqual(new Map([...inDatabase].sort()));
  } finally {
    await client.end();
  }
  expect(perServer.every((n) => n > 0)).toBe(true);
  expect(pages).toBeGreaterThan(ROUNDS);
  for (const s of servers) expect(s.child.exitCode).toBeNull();
});
