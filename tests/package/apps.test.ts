import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  cpSync,
  createReadStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTree } from '../integrations/support';
import { startPostgres, type PostgresServer } from '../support/postgres';
import { npm } from './globalSetup';
import { REPO, appFolder, node, packageApp, readmeBlock, run } from './support';

// Apps as teams build them on the packed tarball, over one scaffolded project
// (Task, Comment related to it, and a serverMerge Tally with a counter):
// - a backend: Prisma Client generated for SQLite and PostgreSQL, tables
//   created (wasm schema engine: no engine binary here), the server and a
//   client compiled with `tsc` and run with plain `node`, syncing over HTTP;
// - a web app built with `vite build`, run in Debian's headless Chromium;
// - a React Native entry bundled by Metro for Android.

const FIXTURES = join(REPO, 'tests/package/fixtures');
const servers: ChildProcess[] = [];
let dir: string;
let postgres: PostgresServer | undefined;

/** The app's schema for one provider, with a Prisma Client generator writing NodeNext-ready ESM. */
function providerSchema(schema: string, provider: 'sqlite' | 'postgresql'): string {
  const models = schema.replace(/^datasource\s+\w+\s*\{[^}]*\}\s*$/m, '');
  return [
    'generator client {',
    '  provider            = "prisma-client"',
    `  output              = "../src/prisma/${provider}"`,
    '  moduleFormat        = "esm"',
    '  importFileExtension = "js"',
    '}',
    '',
    `datasource db {\n  provider = "${provider}"\n}`,
    models,
  ].join('\n');
}

async function startServer(args: string[]): Promise<string> {
  const child = spawn(process.execPath, ['build/src/server.js', ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  servers.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk;
      const url = /listening (\S+)/.exec(output)?.[1];
      if (url) resolve(url);
    });
    child.stderr!.on('data', (chunk: Buffer) => void (output += chunk));
    child.once('exit', (code) => reject(new Error(`server exited ${code}: ${output}`)));
  });
}

function stopServers(): void {
  for (const child of servers.splice(0)) child.kill('SIGTERM');
}

beforeAll(async () => {
  dir = appFolder('backend');
  // The backend is its own package (ESM) with Node's types, as a server project has them.
  writeFileSync(join(dir, 'package.json'), '{ "name": "backend", "private": true, "type": "module" }\n');
  npm(['install', '--save-dev', '--save-exact', '@types/node@20.19.43'], dir);
  for (const args of [
    ['init'],
    ['add-entity', 'Task', '--fields', 'title:String done:Boolean'],
    ['add-entity', 'Comment', '--fields', 'body:String task:Task?'],
    ['add-entity', 'Tally', '--strategy', 'serverMerge', '--fields', 'score:Int owner:String', '--no-generate'],
  ]) {
    const result = run('npx', ['trackhub-sync', ...args], dir);
    expect(result.status, result.output).toBe(0);
  }
  // Merge rules are annotations the engineer writes by hand (README "Conflicts").
  const annotated = readFileSync(join(dir, 'prisma/schema.prisma'), 'utf8')
    .replace(/^([ \t]*)(score\s+Int)$/m, '$1/// @sync.merge(counter)\n$1$2')
    .replace(/^([ \t]*)(owner\s+String)$/m, '$1/// @sync.merge(manual)\n$1$2');
  writeFileSync(join(dir, 'prisma/schema.prisma'), annotated);
  const generated = run('npx', ['trackhub-sync', 'generate'], dir);
  expect(generated.status, generated.output).toBe(0);
  expect(readFileSync(join(dir, 'generated/client/registry.ts'), 'utf8')).toContain("rule: 'counter'");
  mkdirSync(join(dir, 'src'));
  for (const file of ['createTables.ts', 'server.ts', 'device.ts', 'client.ts', 'merge.ts'])
    copyFileSync(join(FIXTURES, 'backend', file), join(dir, 'src', file));
  copyFileSync(join(FIXTURES, 'backend/tsconfig.json'), join(dir, 'tsconfig.json'));
  const schema = readFileSync(join(dir, 'prisma/schema.prisma'), 'utf8');
  for (const provider of ['sqlite', 'postgresql'] as const) {
    writeFileSync(join(dir, `prisma/${provider}.prisma`), providerSchema(schema, provider));
    const generate = run('npx', ['prisma', 'generate', '--schema', `prisma/${provider}.prisma`], dir, {
      // Generating never runs the schema engine; without this Prisma tries to download it.
      env: { PRISMA_SCHEMA_ENGINE_BINARY: '/bin/true', PRISMA_HIDE_UPDATE_MESSAGE: '1' },
    });
    expect(generate.status, generate.output).toBe(0);
  }
  const tsc = run('npx', ['tsc', '-p', '.'], dir);
  expect(tsc.status, tsc.output).toBe(0);
});

afterAll(() => {
  stopServers();
  postgres?.stop();
});

function syncThrough(url: string, devices: string) {
  const client = node(['build/src/client.js', url, devices], dir, { timeout: 120_000 });
  expect(client.status, client.output).toBe(0);
  return JSON.parse(client.stdout.trim().split('\n').at(-1)!) as {
    sync: string[];
    queuedOffline: number;
    pendingAfterSync: number;
    serverId: string | null;
    pulled: { title?: string; serverId?: string; comment?: string; commentOnPulledTask: boolean };
  };
}

describe('backend from the packed tarball: tsc, plain node, graphql-yoga', () => {
  it.each(['sqlite', 'postgresql'] as const)('%s: tables, server, a client pushes and another pulls', async (provider) => {
    let target: string;
    if (provider === 'sqlite') target = join(dir, 'server.db');
    else {
      postgres ??= await startPostgres();
      target = await postgres.createDatabase('backend');
    }
    const tables = node(['build/src/createTables.js', `prisma/${provider}.prisma`, provider, target], dir);
    expect(tables.status, tables.output).toBe(0);
    const url = await startServer([provider, target]);
    const devices = join(dir, `devices-${provider}`);
    mkdirSync(devices);
    try {
      const result = syncThrough(url, devices);
      expect(result).toMatchObject({ sync: ['ok', 'ok'], queuedOffline: 2, pendingAfterSync: 0 });
      expect(result.serverId).toMatch(/\S/);
      // The second device has the task under the server's id and the comment still points at it (local id ↔ server id).
      expect(result.pulled).toEqual({ title: 'Ship it', serverId: result.serverId, comment: 'on it', commentOnPulledTask: true });
      // serverMerge: 10, +2 on the phone, +3 refused (owner) then +1 on the tablet, resolved by a merge.
      const merge = node(['build/src/merge.js', url, devices], dir, { timeout: 120_000 });
      expect(merge.status, merge.output).toBe(0);
      expect(JSON.parse(merge.stdout.trim().split('\n').at(-1)!)).toEqual({
        conflictType: 'FIELD_CONFLICT',
        phone: { score: 16, owner: 'alice+bob' },
        tablet: { score: 16, owner: 'alice+bob' },
        conflictsLeft: 0,
      });
    } finally {
      stopServers();
    }
  });
});

describe('the CLI from the packed tarball', () => {
  it('prints its version, and loads .mjs and .ts configs (ES module and CommonJS packages) like the JSON one', () => {
    const version = run('npx', ['trackhub-sync', '--version'], dir);
    expect(version.status, version.output).toBe(0);
    expect(version.stdout.trim()).toBe((JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version);

    const expected = run('npx', ['trackhub-sync', 'ir', '--json'], dir);
    expect(expected.status, expected.output).toBe(0);
    // The config init wrote, from a sub-folder: its paths one or two folders up.
    const config = JSON.parse(readFileSync(join(dir, 'trackhub-sync.config.json'), 'utf8')) as { schema: string[] };
    const from = (up: string) => JSON.stringify({ schema: config.schema.map((path) => up + path) });
    mkdirSync(join(dir, 'configs/commonjs'), { recursive: true });
    writeFileSync(join(dir, 'configs/commonjs/package.json'), '{ "type": "commonjs" }\n');
    writeFileSync(
      join(dir, 'configs/commonjs/trackhub-sync.config.ts'),
      `const config: { schema: string[] } = ${from('../../')};\nexport default config;\n`,
    );
    writeFileSync(join(dir, 'configs/esm.config.ts'), `const config: { schema: string[] } = ${from('../')};\nexport default config;\n`);
    writeFileSync(join(dir, 'configs/plain.config.mjs'), `export default ${from('../')};\n`);
    for (const file of ['configs/commonjs/trackhub-sync.config.ts', 'configs/esm.config.ts', 'configs/plain.config.mjs']) {
      const loaded = run('npx', ['trackhub-sync', 'ir', '--json', '--config', file], dir);
      expect(loaded.status, `${file}: ${loaded.output}`).toBe(0);
      // Schema paths in the IR are as the config names them.
      expect(loaded.stdout.replaceAll(/"(\.\.\/)+/g, '"'), file).toBe(expected.stdout);
    }
  });
});

describe('generate from the packed tarball: a kept run', () => {
  it('answers an unchanged re-run, and an edited generated file is still found by --check and rewritten', () => {
    const cache = mkdtempSync(join(tmpdir(), 'trackhub-kept-cache-'));
    const generate = (args: string[] = [], setting = cache) =>
      run('npx', ['trackhub-sync', 'generate', ...args], dir, { env: { TRACKHUB_SYNC_CACHE: setting } });
    const named = (prefix: string) => readdirSync(cache).filter((name) => name.startsWith(prefix));
    const registry = join(dir, 'generated/client/registry.ts');
    const original = readFileSync(registry, 'utf8');
    try {
      // The bundle's build id is the SHA-256 of its text, the id in place of a placeholder of the same length.
      const bundle = readFileSync(join(packageApp(), 'node_modules/trackhub-sync/dist/bin/cli.cjs'), 'utf8');
      const id = /BUILD_ID = "([0-9a-f]{64})"/.exec(bundle)?.[1];
      expect(id).toBeDefined();
      const placeholder = 'trackhub-sync build id: replaced by the SHA-256 of this bundle..';
      expect(createHash('sha256').update(bundle.replace(id!, placeholder)).digest('hex')).toBe(id);

      // Rendered and kept; the next run is answered from it. Neither parsed anything (the output
      // was up to date): the hint for the bin says so.
      let result = generate();
      expect(result.status, result.output).toBe(0);
      expect(named('run-')).toHaveLength(1);
      expect(named('last-run-')).toHaveLength(1);
      const kept = statSync(join(cache, named('run-')[0]!));
      result = generate();
      expect(result.status, result.output).toBe(0);
      expect(result.stdout).toMatch(/0 written, \d+ unchanged/);
      expect(statSync(join(cache, named('run-')[0]!)).ino).toBe(kept.ino);
      expect(named('last-run-')).toHaveLength(1);

      // An edited generated file: the kept answer no longer matches the disk, so the run renders.
      writeFileSync(registry, `${original}// edited\n`);
      result = generate(['--check']);
      expect(result.status, result.output).toBe(1);
      expect(result.stdout).toContain('client/registry.ts');
      expect(named('last-run-')).toEqual([]);
      result = generate();
      expect(result.status, result.output).toBe(0);
      expect(readFileSync(registry, 'utf8')).toBe(original);

      // What the kept answer says is what the run takes: nothing is rendered. Shown by a kept
      // answer naming other bytes for one file; with the cache off the run renders and rewrites it.
      const sha = (text: string) => createHash('sha256').update(text).digest('hex');
      const [entry] = named('run-');
      const other = `${original}// other bytes\n`;
      writeFileSync(join(cache, entry!), readFileSync(join(cache, entry!), 'utf8').replace(sha(original), sha(other)));
      writeFileSync(registry, other);
      expect(generate(['--check']).status).toBe(0);
      result = generate([], '0');
      expect(result.status, result.output).toBe(0);
      expect(readFileSync(registry, 'utf8')).toBe(original);
    } finally {
      writeFileSync(registry, original);
      rmSync(cache, { recursive: true, force: true });
    }
  });
});

describe('the Prisma generator from the packed tarball', () => {
  it("writes the CLI's tree through the `trackhub-sync-prisma` bin and through the README's path to the file", () => {
    // The app's schema with a generator block in place of its own (README "Prisma generator and graphql-codegen").
    const models = readFileSync(join(dir, 'prisma/schema.prisma'), 'utf8').replace(/^generator\s+\w+\s*\{[^}]*\}\s*$/gm, '');
    const installed = relative(dir, join(packageApp(), 'node_modules/trackhub-sync/dist/bin/prisma-generator.js'));
    const providers = { 'from-bin': 'trackhub-sync-prisma', 'from-path': `node ${installed}` };
    const written: string[] = [];
    try {
      for (const [out, provider] of Object.entries(providers)) {
        const schema = `prisma/${out}.prisma`;
        written.push(join(dir, schema), join(dir, out), join(dir, `${out}-cli`));
        writeFileSync(join(dir, schema), `${models}\ngenerator sync {\n  provider = "${provider}"\n  output   = "../${out}"\n}\n`);
        const prisma = run('npx', ['prisma', 'generate', '--schema', schema], dir, {
          env: { PRISMA_SCHEMA_ENGINE_BINARY: '/bin/true', PRISMA_HIDE_UPDATE_MESSAGE: '1' },
        });
        expect(prisma.status, `${provider}: ${prisma.output}`).toBe(0);
        const cli = run('npx', ['trackhub-sync', 'generate', '--schema', schema, '--out', `${out}-cli`], dir);
        expect(cli.status, cli.output).toBe(0);
        const tree = readTree(join(dir, out));
        expect(tree['client/registry.ts'], provider).toContain("rule: 'counter'");
        expect(tree, provider).toEqual(readTree(join(dir, `${out}-cli`)));
      }
    } finally {
      for (const path of written) rmSync(path, { recursive: true, force: true });
    }
  });
});

/** The slice of playwright-core used here (the package is the test project's, not this repository's). */
interface BrowserPage {
  on(event: 'pageerror', listener: (error: Error) => void): void;
  on(event: 'console', listener: (message: { type(): string; text(): string }) => void): void;
  waitForSelector(selector: string, options: object): Promise<unknown>;
  evaluate<R, A = undefined>(fn: (arg: A) => R | Promise<R>, arg?: A): Promise<R>;
  goto(url: string): Promise<unknown>;
  reload(): Promise<unknown>;
}
interface Chromium {
  launchPersistentContext(
    userDataDir: string,
    options: object,
  ): Promise<{
    pages(): BrowserPage[];
    newPage(): Promise<BrowserPage>;
    setOffline(offline: boolean): Promise<void>;
    route(url: string, handler: (route: { abort(code?: string): Promise<void> }) => void): Promise<void>;
    unroute(url: string): Promise<void>;
    close(): Promise<void>;
  }>;
}

/** Serve a built static site on 127.0.0.1 (port 0). */
async function serveStatic(root: string): Promise<{ url: string; server: Server }> {
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
  const server = createServer((request, response) => {
    const path = join(root, new URL(request.url ?? '/', 'http://x').pathname.replace(/\/$/, '/index.html'));
    if (!path.startsWith(root) || !existsSync(path)) return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' });
    createReadStream(path).pipe(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

describe('web app from the packed tarball: vite build, headless Chromium', () => {
  it('records created offline survive a reload, then sync, and the server has them', async () => {
    cpSync(join(FIXTURES, 'web'), join(dir, 'web'), { recursive: true });
    copyFileSync(join(dir, 'web/vite.config.js'), join(dir, 'vite.config.js'));
    const build = run('npx', ['vite', 'build'], dir);
    expect(build.status, build.output).toBe(0);
    // Nothing Node-only reached the bundle.
    expect(build.output).not.toMatch(/better-sqlite3|externalized for browser compatibility/);

    const tables = node(['build/src/createTables.js', 'prisma/sqlite.prisma', 'sqlite', join(dir, 'web-server.db')], dir);
    expect(tables.status, tables.output).toBe(0);
    const url = await startServer(['sqlite', join(dir, 'web-server.db')]);
    const site = await serveStatic(join(dir, 'web-dist'));
    // playwright-core from the project, driving Debian's chromium (no browser download).
    const { chromium } = (await import(pathToFileURL(join(packageApp(), 'node_modules/playwright-core/index.mjs')).href)) as { chromium: Chromium };
    const profile = mkdtempSync(join(tmpdir(), 'trackhub-chromium-'));
    const browser = await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
    });
    try {
      const page = browser.pages()[0] ?? (await browser.newPage());
      // Uncaught exceptions fail the test; console errors (WatermelonDB logs IndexedDB hiccups
      // there, e.g. the previous page's connection still open during a reload) only explain a timeout.
      const errors: string[] = [];
      const consoleErrors: string[] = [];
      page.on('pageerror', (error) => errors.push(String(error)));
      page.on('console', (message) => void (message.type() === 'error' && consoleErrors.push(message.text())));
      const ready = () =>
        page.waitForSelector('body[data-ready="true"]', { state: 'attached', timeout: 60_000 }).catch((error: unknown) => {
          throw new Error(`page not ready: ${String(error)}\n${[...errors, ...consoleErrors].join('\n')}`);
        });
      type App = {
        add(t: string): Promise<void>;
        state(): Promise<{ tasks: { title: string; synced: boolean }[]; pending: number }>;
        sync(u: string): Promise<string>;
      };
      const state = () => page.evaluate(() => (window as unknown as { app: App }).app.state());
      await page.goto(site.url);
      await ready();
      await browser.setOffline(true);
      await page.evaluate(async () => {
        const { app } = window as unknown as { app: App };
        await app.add('offline one');
        await app.add('offline two');
      });
      // Reloading needs the page itself: back online, the sync server still unreachable.
      const syncServer = `${new URL(url).origin}/**`;
      await browser.route(syncServer, (route) => route.abort('internetdisconnected'));
      await browser.setOffline(false);
      await page.reload();
      await ready();
      expect(await state()).toEqual({
        tasks: [
          { title: 'offline one', synced: false },
          { title: 'offline two', synced: false },
        ],
        pending: 2,
      });
      await browser.unroute(syncServer);
      expect(await page.evaluate((server) => (window as unknown as { app: App }).app.sync(server), url)).toBe('ok');
      expect(await state()).toEqual({
        tasks: [
          { title: 'offline one', synced: true },
          { title: 'offline two', synced: true },
        ],
        pending: 0,
      });
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
      site.server.close();
      rmSync(profile, { recursive: true, force: true });
    }
    // The server has them: read back through its sync API as another caller of the tenant.
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer dev:tenant-1:reader' },
      body: JSON.stringify({ query: '{ syncPullTask { items { title } } }' }),
    });
    const body = (await response.json()) as { data: { syncPullTask: { items: { title: string }[] } } };
    expect(body.data.syncPullTask.items.map((t) => t.title).sort()).toEqual(['offline one', 'offline two']);
    stopServers();
  });
});

describe('React Native: Metro bundles the generated code and runtime/client for Android', () => {
  it('bundles with no Node-only module', async () => {
    cpSync(join(FIXTURES, 'metro'), join(dir, 'metro'), { recursive: true });
    // README's metro.config.js, plus what this test project needs: its packages live in the parent
    // project (one install for every test app), and there is no react-native package to run first.
    const readmeConfig = readmeBlock('metro.config.js');
    expect(readmeConfig).toContain('module.exports = config;');
    writeFileSync(
      join(dir, 'metro.config.cjs'),
      readmeConfig.replace(
        'module.exports = config;',
        [
          `config.watchFolders = [${JSON.stringify(join(packageApp(), 'node_modules'))}];`,
          'config.serializer = { ...config.serializer, getModulesRunBeforeMainModule: () => [], getPolyfills: () => [] };',
          "config.resolver.extraNodeModules = { 'react-native': require('node:path').join(__dirname, 'metro/react-native-stub.js') };",
          'module.exports = config;',
        ].join('\n'),
      ),
    );
    // React Native's Babel transformer reads the project's .babelrc (this project is ESM, so no babel.config.js).
    copyFileSync(join(dir, 'metro/.babelrc'), join(dir, '.babelrc'));
    const bundle = run(
      'npx',
      [
        'metro',
        'build',
        'metro/index.ts',
        '--platform',
        'android',
        '--out',
        'android.bundle.js',
        '--config',
        'metro.config.cjs',
        '--dev',
        'false',
        '--minify',
        'false',
      ],
      dir,
      { timeout: 280_000 },
    );
    expect(bundle.status, bundle.output).toBe(0);
    const code = readFileSync(join(dir, 'android.bundle.js'), 'utf8');
    expect(code).toContain('trackhub_db_'); // runtime/client is in
    expect(code).toMatch(/tableSchema|appSchema/); // the generated schema is in
    expect(code).not.toMatch(/better-sqlite3|require\("(node:)?(fs|path|crypto|os|child_process)"\)/);
  });
});
