import { createHash } from 'node:crypto';
import { appendFileSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfig, type ResolvedConfig } from '../generator/config';
import { DiagnosticsError } from '../generator/diagnostics';
import { diskPath } from '../generator/emit/compare';
import { renderKey, type RenderCache } from '../generator/emit/renderCache';
import { lastRunParsedNothing, rememberRun } from '../generator/emit/runHint';
import { writeOutput } from '../generator/emit/write';
import { runPipelineAsync, type PipelineResult } from '../generator/pipeline';
import { scratchCopy } from './support/cli';
import { tempFolders } from './support/tempFolders';

// A run answered from an earlier one's kept answer (generator/emit/renderCache.ts), on
// the example (every target: WatermelonDB with its migration history, client, server,
// proto editing the user's .proto files): the same result as running, and only when
// every file is on disk exactly as kept.
describe('a kept run', { timeout: 120_000 }, () => {
  const temp = tempFolders();
  const example = scratchCopy('examples/trackhub-core');
  afterAll(() => rmSync(example, { recursive: true, force: true }));
  const cacheIn = (dirs: readonly string[] = [temp('trackhub-kept-')], build = 'test build'): RenderCache => ({ build, dirs });
  const configOf = () => resolveConfig({ config: join(example, 'trackhub-sync.config.json') }, example);
  const run = async (config: ResolvedConfig, renderCache: RenderCache) => runPipelineAsync(config, { renderCache });
  const comparable = (result: PipelineResult) => ({
    files: [...result.files].sort((a, b) => a.path.localeCompare(b.path)),
    warnings: result.warnings,
    migration: result.migration,
    movedSnapshots: result.movedSnapshots,
    ir: result.ir,
  });
  const kept = (cache: RenderCache) => readdirSync(cache.dirs[0]!).filter((name) => name.startsWith('run-'));

  it('answers the next run with the same result, every file taken as unchanged', async () => {
    const config = await configOf();
    const cache = cacheIn();
    const first = await run(config, cache);
    expect(first.kept).toBe(false);
    expect(kept(cache)).toHaveLength(1);
    writeOutput(first.files, config.out, config.baseDir);

    const second = await run(config, cache);
    expect(second.kept).toBe(true);
    expect(second.parsed).toBe(0);
    expect(comparable(second)).toEqual(comparable(first));
    expect(second.files.some((f) => f.external)).toBe(true);
    expect([...second.sameOnDisk].sort()).toEqual(second.files.map((f) => diskPath(f, config.out, config.baseDir)).sort());
  });

  it('runs again when a file is edited or missing, and then output is what running gives', async () => {
    const config = await configOf();
    const cache = cacheIn();
    const first = await run(config, cache);
    writeOutput(first.files, config.out, config.baseDir);
    const registry = join(config.out, 'client/registry.ts');
    const original = readFileSync(registry, 'utf8');

    appendFileSync(registry, '// edited\n');
    const afterEdit = await run(config, cache);
    expect(afterEdit.kept).toBe(false);
    expect(afterEdit.parsed).toBe(1);
    expect(afterEdit.files.find((f) => f.path === 'client/registry.ts')?.contents).toBe(original);
    expect(comparable(afterEdit)).toEqual(comparable(first));

    rmSync(registry);
    const afterDelete = await run(config, cache);
    expect(afterDelete.kept).toBe(false);
    expect(comparable(afterDelete)).toEqual(comparable(first));
    writeOutput(afterDelete.files, config.out, config.baseDir);
    expect((await run(config, cache)).kept).toBe(true);
  });

  it('is keyed by every input: schema, config, migration history, .proto files, the build', async () => {
    const config = await configOf();
    const cache = cacheIn();
    writeOutput((await run(config, cache)).files, config.out, config.baseDir);
    expect((await run(config, cache)).kept).toBe(true);
    const expectRuns = async (changed: ResolvedConfig, using = cache) => {
      const result = await run(changed, using);
      expect(result.kept).toBe(false);
      return result;
    };

    await expectRuns(config, cacheIn(cache.dirs, 'another build'));
    await expectRuns({ ...config, targets: { ...config.targets, server: false } });
    await expectRuns({ ...config, proto: { ...config.proto, package: 'other.sync.v1' } });

    const restore: [string, string][] = [];
    const putBack = (files: [string, string][]) => {
      for (const [path, text] of files) writeFileSync(path, text);
    };
    const edit = (path: string, text: (before: string) => string) => {
      const before = readFileSync(path, 'utf8');
      restore.push([path, before]);
      writeFileSync(path, text(before));
    };
    try {
      edit(join(example, 'prisma/schema.prisma'), (text) => text.replace('model Space {', '/// Documented here.\nmodel Space {'));
      await expectRuns(config);
      putBack(restore.splice(0));
      const protoFile = join(
        example,
        readdirSync(join(example, 'proto'), { recursive: true, encoding: 'utf8' })
          .map((p) => `proto/${p}`)
          .find((p) => p.endsWith('.proto'))!,
      );
      edit(protoFile, (text) => `${text}\n// a comment only\n`);
      await expectRuns(config);
      putBack(restore.splice(0));
      const snapshot = join(config.migrations.history, readdirSync(config.migrations.history).find((name) => name.endsWith('.json'))!);
      edit(snapshot, (text) => `${text}\n`);
      await expectRuns(config);
    } finally {
      putBack(restore);
    }
    expect((await run(config, cache)).kept).toBe(true);
  });

  it('is not used when damaged or another key’s, and is replaced', async () => {
    const config = await configOf();
    const cache = cacheIn();
    writeOutput((await run(config, cache)).files, config.out, config.baseDir);
    const [name] = kept(cache);
    const file = join(cache.dirs[0]!, name!);
    const text = readFileSync(file, 'utf8');

    writeFileSync(file, text.slice(0, text.length - 10));
    expect((await run(config, cache)).kept).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect((await run(config, cache)).kept).toBe(true);

    writeFileSync(file, `${'0'.repeat(64)}${text.slice(64)}`);
    expect((await run(config, cache)).kept).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it('stands for the files it verified: a kept hash is what the run trusts, not rendering', async () => {
    // What makes a kept run cheap is that nothing is rendered: shown here by a kept answer
    // that names other bytes for one file, which the run then takes as the output.
    const config = await configOf();
    const cache = cacheIn();
    writeOutput((await run(config, cache)).files, config.out, config.baseDir);
    const [name] = kept(cache);
    const file = join(cache.dirs[0]!, name!);
    const registry = join(config.out, 'client/registry.ts');
    const original = readFileSync(registry, 'utf8');
    const other = `${original}// other bytes\n`;
    const sha = (text: string) => createHash('sha256').update(text).digest('hex');
    writeFileSync(file, readFileSync(file, 'utf8').replace(sha(original), sha(other)));
    writeFileSync(registry, other);
    try {
      const result = await run(config, cache);
      expect(result.kept).toBe(true);
      expect(result.files.find((f) => f.path === 'client/registry.ts')?.contents).toBe(other);
    } finally {
      writeFileSync(registry, original);
    }
  });

  it('keeps nothing without a build id, with no folder, or for a refused schema', async () => {
    const config = await configOf();
    for (const cache of [cacheIn(undefined, null as unknown as string), cacheIn([])]) {
      const result = await run(config, cache as RenderCache);
      expect(result.kept).toBe(false);
      for (const dir of cache.dirs) expect(readdirSync(dir)).toEqual([]);
    }
    const cache = cacheIn();
    const schema = join(example, 'prisma/schema.prisma');
    const before = readFileSync(schema, 'utf8');
    writeFileSync(schema, `${before}\n/// @sync(strategy: nonsense)\nmodel Broken {\n  id String @id\n}\n`);
    try {
      for (let i = 0; i < 2; i++) await expect(run(config, cache)).rejects.toBeInstanceOf(DiagnosticsError);
      expect(kept(cache)).toEqual([]);
    } finally {
      writeFileSync(schema, before);
    }
  });
});

describe('the kept run’s key', () => {
  const cache: RenderCache = { build: 'test build', dirs: ['/unused'] };
  const inputs = { config: { out: '/out' }, facts: [{ models: [] }], history: {}, proto: null };

  it('tells an absent key from one set to undefined, and is null for what JSON cannot spell', () => {
    const key = renderKey(cache, inputs);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(renderKey(cache, { ...inputs, history: { moved: undefined } })).not.toBe(key);
    expect(renderKey({ ...cache, build: 'another' }, inputs)).not.toBe(key);
    expect(renderKey(cache, { ...inputs, config: { big: 1n } })).toBeNull();
  });
});

describe('the last run’s hint', () => {
  const temp = tempFolders();

  it('says whether the last generate in a folder parsed nothing, per folder, and nothing without folders', () => {
    const dirs = [temp('trackhub-hint-')];
    expect(lastRunParsedNothing(dirs, '/project/a')).toBe(false);
    rememberRun(dirs, '/project/a', true);
    expect(lastRunParsedNothing(dirs, '/project/a')).toBe(true);
    expect(lastRunParsedNothing(dirs, '/project/b')).toBe(false);
    rememberRun(dirs, '/project/a', false);
    expect(lastRunParsedNothing(dirs, '/project/a')).toBe(false);
    rememberRun([], '/project/a', true);
    expect(lastRunParsedNothing([], '/project/a')).toBe(false);
  });
});
