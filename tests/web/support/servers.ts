import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * The example sync server as users start it (`npm run example:server -- --port N --db FILE`:
 * `tsx examples/trackhub-core/server/main.ts`), from `projectDir`: a copy of the example
 * in the project the packed package was installed into (tests/web/support/buildApp.ts),
 * so `trackhub-sync/runtime/server`, Prisma and graphql-yoga are that project's.
 */
export async function startExampleServer(projectDir: string, dbFile: string): Promise<{ url: string; stop(): Promise<void> }> {
  const { NODE_OPTIONS: _o, VITEST: _v, VITEST_POOL_ID: _p, VITEST_WORKER_ID: _w, NODE_ENV: _n, ...env } = process.env;
  const child: ChildProcess = spawn(join(repo, 'node_modules/.bin/tsx'), ['examples/trackhub-core/server/main.ts', '--port', '0', '--db', dbFile], {
    cwd: projectDir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /sync API on (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`example server exited ${code}:\n${output}`)));
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Push requests seen by the proxy, per tenant: how many, and the most tabs with a push in flight at once. */
export interface PushLog {
  total: number;
  maxTabsInFlight: number;
  /** Push starts and ends per tab (`+tab` / `-tab how`), ms since the first: explains an overlap. */
  events: string[];
}

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

/**
 * Serves the built app and forwards `/graphql` to the sync server (one
 * origin, as a deployed app usually is). Records overlapping `syncPush`
 * requests per tenant and tab (the app sends `x-test-tab`): two tabs pushing
 * at once shows as `maxTabsInFlight > 1`.
 */
export async function startAppServer(
  appDir: string,
  apiUrl: string,
): Promise<{ origin: string; pushes: Map<string, PushLog>; stop(): Promise<void> }> {
  const api = new URL(apiUrl);
  const pushes = new Map<string, PushLog>();
  // tenant -> tab -> pushes in flight
  const inFlight = new Map<string, Map<string, number>>();
  const started = Date.now();
  const track = (tenant: string, tab: string, delta: number, how = '') => {
    const tabs = inFlight.get(tenant) ?? new Map<string, number>();
    inFlight.set(tenant, tabs);
    tabs.set(tab, (tabs.get(tab) ?? 0) + delta);
    if (tabs.get(tab) === 0) tabs.delete(tab);
    const log = pushes.get(tenant) ?? { total: 0, maxTabsInFlight: 0, events: [] };
    log.events.push(`${Date.now() - started} ${delta > 0 ? '+' : '-'}${tab}${how ? ` ${how}` : ''}`);
    if (delta > 0) log.total++;
    log.maxTabsInFlight = Math.max(log.maxTabsInFlight, tabs.size);
    pushes.set(tenant, log);
  };
  const server: Server = createServer(async (req, res) => {
    if (req.url?.startsWith('/graphql')) {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks);
      const tenant = /dev:([^:]+):/.exec(String(req.headers.authorization))?.[1] ?? '?';
      const tab = String(req.headers['x-test-tab'] ?? '?');
      const isPush = body.includes('syncPush');
      // A push is the tab's while its request is open: until the answer is
      // sent or the tab drops the connection (closed or reloaded; the server
      // may still finish that request, and its replay makes a retry safe).
      let open = isPush;
      const done = (how: string) => {
        if (!open) return;
        open = false;
        track(tenant, tab, -1, how);
      };
      if (isPush) {
        track(tenant, tab, 1);
        res.on('close', () => done('closed'));
      }
      const upstream = httpRequest(
        { host: api.hostname, port: api.port, path: api.pathname, method: req.method, headers: { ...req.headers, host: api.host } },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
          up.on('end', () => done('answered'));
        },
      );
      upstream.on('error', () => {
        done('upstream error');
        res.writeHead(502).end();
      });
      upstream.end(body);
      return;
    }
    const path = normalize(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/+/, '') || 'index.html';
    try {
      const content = await readFile(join(appDir, path));
      res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(content);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    origin: `http://127.0.0.1:${port}`,
    pushes,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
