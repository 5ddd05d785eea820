import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { GeneratedFile } from './generatedFile';
import { spawnParseCheckWorker, typescriptPath } from './parseCheckWorker';
import { codeCacheDirs, loadWithCodeCache } from './codeCache';

const files: GeneratedFile[] = [
  { path: 'server/entities.ts', contents: "export const a = 'it's';\n" },
  { path: 'client/index.ts', contents: 'export const ok = 1;\nexport function f( {\n' },
  { path: 'watermelon/schema.ts', contents: 'export const s: string = `x` + String(1);\n' },
];
const typescript = typescriptPath()!;
const dir = mkdtempSync(join(tmpdir(), 'trackhub-ts-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** One worker over `files`: its findings and what the code cache did. */
async function check(cacheDirs: string[]) {
  const running = spawnParseCheckWorker(typescript, cacheDirs);
  running.worker.postMessage(files);
  running.worker.postMessage(null);
  const [findings, cache] = await Promise.all([running.findings, running.cache]);
  await running.worker.terminate();
  return { findings, cache };
}
const cacheFiles = (folder: string) => readdirSync(folder).filter((name) => name.endsWith('.v8cache'));

describe('codeCacheDirs', () => {
  it('is node_modules/.cache/trackhub-sync beside the TypeScript loaded, then a per-user temp folder', () => {
    const dirs = codeCacheDirs('/app/node_modules/typescript/lib/typescript.js', {});
    expect(dirs[0]).toBe('/app/node_modules/.cache/trackhub-sync');
    expect(dirs[1]).toContain(tmpdir());
    expect(codeCacheDirs('/opt/typescript/lib/typescript.js', {})).toEqual([dirs[1]]);
  });

  it('is off with TRACKHUB_SYNC_CACHE=0, or the folder it names', () => {
    for (const off of ['0', 'off', 'false', 'no']) expect(codeCacheDirs(typescript, { TRACKHUB_SYNC_CACHE: off })).toEqual([]);
    expect(codeCacheDirs(typescript, { TRACKHUB_SYNC_CACHE: '/somewhere' })).toEqual(['/somewhere']);
  });
});

describe('the parse check worker with a TypeScript code cache', { timeout: 120_000 }, () => {
  it('writes the cache after the first check, uses it after, rewrites a damaged or rejected one; findings never change', async () => {
    const plain = await check([]);
    expect(plain.cache).toEqual({ found: 'off', written: false });
    expect(plain.findings!.length).toBeGreaterThanOrEqual(2);
    expect(cacheFiles(dir)).toEqual([]);

    const first = await check([dir]);
    expect(first.cache).toEqual({ found: 'missing', written: true });
    expect(first.findings).toEqual(plain.findings);
    const [name] = cacheFiles(dir);
    const stored = readFileSync(join(dir, name!));
    expect(stored.subarray(0, 32)).toEqual(createHash('sha256').update(stored.subarray(32)).digest());

    const second = await check([dir]);
    expect(second.cache).toEqual({ found: 'accepted', written: false });
    expect(second.findings).toEqual(plain.findings);

    // Damaged (the checksum no longer matches): never handed to V8, rewritten.
    const damaged = Buffer.from(stored);
    damaged[damaged.length >> 1]! ^= 0xff;
    writeFileSync(join(dir, name!), damaged);
    const afterDamage = await check([dir]);
    expect(afterDamage.cache).toEqual({ found: 'corrupt', written: true });
    expect(afterDamage.findings).toEqual(plain.findings);

    // Intact but not V8's (another version would write it so): V8 rejects it, it is rewritten.
    const foreign = Buffer.from('not a V8 code cache'.repeat(1000));
    writeFileSync(join(dir, name!), Buffer.concat([createHash('sha256').update(foreign).digest(), foreign]));
    const afterForeign = await check([dir]);
    expect(afterForeign.cache).toEqual({ found: 'rejected', written: true });
    expect(afterForeign.findings).toEqual(plain.findings);
    expect((await check([dir])).cache).toEqual({ found: 'accepted', written: false });
    expect(cacheFiles(dir)).toEqual([name]);
  });

  it('never fails the check when the cache folder cannot be written', async () => {
    const blocked = join(dir, 'a-file');
    writeFileSync(blocked, '');
    const result = await check([join(blocked, 'cache')]);
    expect(result.cache).toEqual({ found: 'missing', written: false });
    expect(result.findings!.length).toBeGreaterThanOrEqual(2);
  });
});

describe('loadWithCodeCache on the main thread (the bin loads dist/bin/cli.cjs so)', () => {
  it('loads the module, writes its cache when asked, uses it on the next load', () => {
    const folder = mkdtempSync(join(dir, 'main-'));
    const cacheDir = join(folder, 'cache');
    const file = join(folder, 'program.cjs');
    writeFileSync(file, "exports.answer = require('node:path').basename(__filename);\n");

    const first = loadWithCodeCache(file, [cacheDir], 'cli');
    expect(first.cache).toBe('missing');
    expect((first.exports as { answer: string }).answer).toBe('program.cjs');
    expect(first.save()).toBe(true);
    expect(first.save()).toBe(false);
    expect(cacheFiles(cacheDir)).toHaveLength(1);
    expect(cacheFiles(cacheDir)[0]).toMatch(/^cli-[0-9a-f]{24}-node/);

    const second = loadWithCodeCache(file, [cacheDir], 'cli');
    expect(second.cache).toBe('accepted');
    expect((second.exports as { answer: string }).answer).toBe('program.cjs');
    expect(second.save()).toBe(false);

    // Another build of the file: its own cache; the stale one of this Node is removed when it is written.
    writeFileSync(file, 'exports.answer = 42;\n');
    const rebuilt = loadWithCodeCache(file, [cacheDir], 'cli');
    expect(rebuilt.cache).toBe('missing');
    expect((rebuilt.exports as { answer: number }).answer).toBe(42);
    expect(rebuilt.save()).toBe(true);
    expect(cacheFiles(cacheDir)).toHaveLength(1);

    expect(loadWithCodeCache(file, [], 'cli').cache).toBe('off');
  });

  it("removes a killed save's temporary file when its process is gone, never a live one's", () => {
    const folder = mkdtempSync(join(dir, 'sweep-'));
    const cacheDir = join(folder, 'cache');
    mkdirSync(cacheDir);
    const file = join(folder, 'program.cjs');
    writeFileSync(file, 'exports.answer = 1;\n');
    // A pid that was just in use and is gone now; this process for a live one.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const deadTemporary = `cli-0123-node${process.version}-${process.arch}.v8cache.${dead}-0.tmp`;
    const liveTemporary = `cli-4567-node${process.version}-${process.arch}.v8cache.${process.pid}-1.tmp`;
    for (const name of [deadTemporary, liveTemporary, 'unrelated.tmp']) writeFileSync(join(cacheDir, name), 'partial');
    expect(loadWithCodeCache(file, [cacheDir], 'cli').save()).toBe(true);
    const left = readdirSync(cacheDir);
    expect(left).not.toContain(deadTemporary);
    expect(left).toContain(liveTemporary);
    expect(left).toContain('unrelated.tmp');
  });
});
