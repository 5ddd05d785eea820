import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { npm } from './globalSetup';
import { REPO, appFolder, node, run } from './support';

// Files attached to synced records, as a team gets them from the packed
// tarball: a project scaffolded with a `@sync.file` field, the server's
// `tusStorage` (subpath trackhub-sync/runtime/server/tus, over the optional
// peers @tus/server and @tus/file-store) and a device's `nodeFileStore`
// (subpath trackhub-sync/runtime/client/node) with tus-js-client, compiled with
// `tsc` and run with plain `node` over HTTP.

const FIXTURES = join(REPO, 'tests/package/fixtures');
let dir: string;
let server: ChildProcess | undefined;

beforeAll(() => {
  dir = appFolder('media');
  writeFileSync(join(dir, 'package.json'), '{ "name": "media", "private": true, "type": "module" }\n');
  // The optional peers an app with file fields installs (README "Server setup: tus", "Files (media)") are in
  // the project beside the tarball (tests/package/tools.ts), where the package resolves them.
  npm(['install', '--save-dev', '--save-exact', '@types/node@20.19.43'], dir);
  for (const args of [['init'], ['add-entity', 'Receipt', '--fields', 'title:String photo:String?']]) {
    const result = run('npx', ['trackhub-sync', ...args], dir);
    expect(result.status, result.output).toBe(0);
  }
  const schemaFile = join(dir, 'prisma/schema.prisma');
  const schema = readFileSync(schemaFile, 'utf8');
  expect(schema).toMatch(/^\s+photo\s+String\?/m);
  writeFileSync(schemaFile, schema.replace(/^(\s+)(photo\s+String\?)/m, '$1/// @sync.file(maxBytes: 10485760, accept: "image/*")\n$1$2'));
  const generate = run('npx', ['trackhub-sync', 'generate'], dir);
  expect(generate.status, generate.output).toBe(0);

  writeFileSync(
    join(dir, 'prisma/sqlite.prisma'),
    [
      'generator client {',
      '  provider            = "prisma-client"',
      '  output              = "../src/prisma/sqlite"',
      '  moduleFormat        = "esm"',
      '  importFileExtension = "js"',
      '}',
      'datasource db {\n  provider = "sqlite"\n}',
      readFileSync(schemaFile, 'utf8').replace(/^datasource\s+\w+\s*\{[^}]*\}\s*$/m, ''),
    ].join('\n'),
  );
  const prisma = run('npx', ['prisma', 'generate', '--schema', 'prisma/sqlite.prisma'], dir, {
    env: { PRISMA_SCHEMA_ENGINE_BINARY: '/bin/true', PRISMA_HIDE_UPDATE_MESSAGE: '1' },
  });
  expect(prisma.status, prisma.output).toBe(0);
  // `src/prisma/sqlite` exists now (Prisma Client's output).
  copyFileSync(join(FIXTURES, 'backend/createTables.ts'), join(dir, 'src/createTables.ts'));
  for (const file of ['server.ts', 'client.ts']) copyFileSync(join(FIXTURES, 'media', file), join(dir, 'src', file));
  copyFileSync(join(FIXTURES, 'media/tsconfig.json'), join(dir, 'tsconfig.json'));
  const tsc = run('npx', ['tsc', '-p', '.'], dir);
  expect(tsc.status, tsc.output).toBe(0);
});

afterAll(() => {
  server?.kill('SIGTERM');
});

async function startServer(args: string[]): Promise<string> {
  server = spawn(process.execPath, ['build/src/server.js', ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    server!.stdout!.on('data', (chunk: Buffer) => {
      output += chunk;
      const url = /listening (\S+)/.exec(output)?.[1];
      if (url) resolve(url);
    });
    server!.stderr!.on('data', (chunk: Buffer) => void (output += chunk));
    server!.once('exit', (code) => reject(new Error(`server exited ${code}: ${output}`)));
  });
}

describe('media from the packed tarball: tusStorage, nodeFileStore, tus-js-client, plain node', () => {
  it('a photo attached offline uploads on checkpoint, the receipt is pushed with its key, another device reads the same bytes', async () => {
    const tables = node(['build/src/createTables.js', 'prisma/sqlite.prisma', 'sqlite', join(dir, 'server.db')], dir);
    expect(tables.status, tables.output).toBe(0);
    mkdirSync(join(dir, 'uploads'));
    const url = await startServer([join(dir, 'server.db'), join(dir, 'uploads')]);
    mkdirSync(join(dir, 'devices'));
    const client = node(['build/src/client.js', url, join(dir, 'devices')], dir, { timeout: 120_000 });
    expect(client.status, client.output).toBe(0);
    const result = JSON.parse(client.stdout.trim().split('\n').at(-1)!) as {
      placeholder: string | null;
      upload: { status?: string; key?: string; bytesSent?: number };
      pull: string;
      pulled: { title?: string; photo?: string };
      shown: string | null;
      sameBytes: boolean;
    };
    expect(result.placeholder).toMatch(/^upload:/);
    expect(result.upload).toMatchObject({ status: 'done', bytesSent: 3 * 1024 * 1024 });
    expect(result.upload.key).toMatch(/^t\/tenant-1\//);
    expect(result).toMatchObject({ pull: 'ok', pulled: { title: 'lunch', photo: result.upload.key }, shown: 'remote', sameBytes: true });
  });
});
