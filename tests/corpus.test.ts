import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Model } from '@nozbe/watermelondb';
import { logger } from '@nozbe/watermelondb/utils/common';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../generator/config';
import { DiagnosticsError, formatDiagnostic } from '../generator/diagnostics';
import { writeOutput } from '../generator/emit/write';
import { runPipeline } from '../generator/pipeline';
import { openDatabase, type GeneratedWatermelon } from './support/watermelon';

// The corpus: schemas written the way teams write them (tests/fixtures/corpus/README.md),
// annotated only with the base fields and @sync annotations. Each must generate,
// type-check (tsc strict, the whole output tree) and load into WatermelonDB on the
// SQLite adapter, with a record created in every synced table.

logger.silence();
const root = fileURLToPath(new URL('..', import.meta.url));
const corpus = join(root, 'tests/fixtures/corpus');
// Inside the repo (ignored): the root tsconfig's decorator settings apply to the output.
const work = join(root, '.tmp/corpus-test');
const cases = readdirSync(corpus, { withFileTypes: true })
  .filter((e) => e.isDirectory() && existsSync(join(corpus, e.name, 'trackhub-sync.config.json')))
  .map((e) => e.name)
  .sort();

const failures = new Map<string, string>();
const generated: string[] = [];
afterAll(() => {
  console.log(`corpus: ${cases.length - failures.size} of ${cases.length} schemas generate, type-check and load into WatermelonDB`);
  rmSync(work, { recursive: true, force: true });
});

describe('corpus of real-world schemas', () => {
  it('has at least ten schemas of different shapes', () => {
    expect(cases.length).toBeGreaterThanOrEqual(10);
  });

  it('every schema generates', async () => {
    rmSync(work, { recursive: true, force: true });
    for (const name of cases) {
      const dir = join(corpus, name);
      const config = await resolveConfig({ config: join(dir, 'trackhub-sync.config.json'), out: join(work, name) }, dir);
      // The migration history is written beside the output, never into the fixture folder.
      config.migrations.history = join(work, `${name}.history`);
      try {
        writeOutput(runPipeline(config).files, config.out, config.baseDir);
        generated.push(name);
      } catch (error) {
        if (!(error instanceof DiagnosticsError)) throw error;
        failures.set(name, error.diagnostics.map(formatDiagnostic).join('\n'));
      }
    }
    expect(Object.fromEntries(failures)).toEqual({});
  }, 120_000);

  it('every generated tree type-checks (tsc --strict)', () => {
    writeFileSync(
      join(work, 'tsconfig.json'),
      JSON.stringify({
        extends: '../../tsconfig.json',
        compilerOptions: { noUnusedLocals: true, noImplicitOverride: true },
        include: ['*/**/*.ts'],
        exclude: [],
      }),
    );
    const tsc = join(root, 'node_modules/typescript/bin/tsc');
    let output = '';
    try {
      execFileSync(process.execPath, [tsc, '--noEmit', '-p', join(work, 'tsconfig.json')], { cwd: root, encoding: 'utf8' });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? error);
    }
    for (const line of output.split('\n')) {
      const name = /^\.tmp\/corpus-test\/([^/]+)\//.exec(line)?.[1];
      if (name) failures.set(name, `${failures.get(name) ?? ''}${line}\n`);
    }
    expect(output).toBe('');
  }, 300_000);

  it('every generated tree loads into WatermelonDB (SQLite adapter) and creates a record in each table', async () => {
    for (const name of generated) {
      const watermelon = (await import(pathToFileURL(join(work, name, 'watermelon/index.ts')).href)) as GeneratedWatermelon;
      mkdirSync(join(work, name, 'db'), { recursive: true });
      const db = openDatabase('sqlite', watermelon, join(work, name, 'db/device.db'));
      try {
        const tables = watermelon.schema.tables;
        await db.write(async () => {
          for (const table of Object.keys(tables)) await db.get<Model>(table).create(() => {});
        });
        for (const table of Object.keys(tables)) expect(await db.get<Model>(table).query().fetchCount(), `${name} ${table}`).toBe(1);
      } catch (error) {
        failures.set(name, String(error));
        throw error;
      }
    }
  }, 120_000);
});
