import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, scratchCopy, treeHash } from '../support/cli';

// The code cache (README "Generate: the code cache") across real
// `trackhub-sync generate` processes: the parse check's TypeScript and the
// Prisma engine's kept answers. Each run generates the example into an empty
// folder, so every run parses its output.
describe('trackhub-sync generate with the code cache', { timeout: 300_000 }, () => {
  const dir = scratchCopy('examples/trackhub-core');
  const cache = mkdtempSync(join(tmpdir(), 'trackhub-cli-cache-'));
  const env = { TRACKHUB_SYNC_CACHE: cache };
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
  });
  const fresh = () => {
    rmSync(join(dir, 'generated'), { recursive: true, force: true });
    const run = cli(['generate'], dir, env);
    expect(run.status, run.stderr).toBe(0);
    return treeHash(join(dir, 'generated'));
  };
  const cacheFile = () => {
    const names = readdirSync(cache).filter((name) => name.endsWith('.v8cache'));
    expect(names).toHaveLength(1);
    return join(cache, names[0]!);
  };
  const intact = (bytes: Buffer) => createHash('sha256').update(bytes.subarray(32)).digest().equals(bytes.subarray(0, 32));

  it('is written by the first run, used as is by the next, and a damaged one is replaced with the same output', () => {
    const output = fresh();
    const file = cacheFile();
    expect(intact(readFileSync(file))).toBe(true);
    const written = statSync(file);

    // Accepted: a run that found no usable cache (missing, damaged, rejected by V8) writes a new file.
    expect(fresh()).toBe(output);
    const used = statSync(file);
    expect([used.ino, used.mtimeMs, used.size]).toEqual([written.ino, written.mtimeMs, written.size]);

    const damaged = readFileSync(file);
    damaged.fill(0x5a, 1000, 2000);
    writeFileSync(file, damaged);
    expect(fresh()).toBe(output);
    const replaced = readFileSync(cacheFile());
    expect(intact(replaced)).toBe(true);
    expect(replaced.equals(damaged)).toBe(false);
  });

  it('keeps the Prisma engine’s answer: the next run reads it, a changed schema asks again', () => {
    const answers = () => readdirSync(cache).filter((name) => name.startsWith('prisma-datamodel-'));
    const output = fresh();
    expect(answers()).toHaveLength(1);
    const file = join(cache, answers()[0]!);
    const written = statSync(file);
    const past = new Date(Date.now() - 60_000);
    utimesSync(file, past, past);
    // Read, not asked again: the same file (a new answer is renamed into place), its time renewed.
    expect(fresh()).toBe(output);
    const read = statSync(file);
    expect(read.ino).toBe(written.ino);
    expect(read.mtimeMs).toBeGreaterThan(past.getTime());
    // Another schema text is another request.
    const schema = join(dir, 'prisma/schema.prisma');
    writeFileSync(schema, `${readFileSync(schema, 'utf8')}\n`);
    fresh();
    expect(answers()).toHaveLength(2);
  });

  it('is neither read nor written with TRACKHUB_SYNC_CACHE=0, same output', () => {
    const output = fresh();
    for (const name of readdirSync(cache)) rmSync(join(cache, name));
    rmSync(join(dir, 'generated'), { recursive: true, force: true });
    const run = cli(['generate'], dir, { TRACKHUB_SYNC_CACHE: '0' });
    expect(run.status, run.stderr).toBe(0);
    expect(treeHash(join(dir, 'generated'))).toBe(output);
    expect(readdirSync(cache)).toEqual([]);
  });
});
