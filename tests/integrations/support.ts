import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll } from 'vitest';
import { listTree } from '../../generator/emit/compare';
import { REPO, type CliRun } from '../support/cli';

const scratch: string[] = [];
afterAll(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** An empty scratch folder, removed after the test file. */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  scratch.push(dir);
  return dir;
}

/** A scratch folder holding a copy of a golden case's `input/`. */
export function scratchInput(goldenCase: string, prefix: string): string {
  const dir = scratchDir(prefix);
  cpSync(join(REPO, 'tests/golden', goldenCase, 'input'), dir, { recursive: true });
  return dir;
}

/**
 * Make `dir` look like a project with trackhub-sync installed from this
 * repository's sources (development mode: the published build is tested from
 * the packed tarball in tests/package): node_modules links every dependency of
 * this repository, `trackhub-sync` is a folder whose package.json maps the
 * subpaths to the sources run through tsx, and `.bin/trackhub-sync-prisma` is
 * linked as npm links a package's "bin" entry.
 */
export function installInto(dir: string): void {
  const modules = join(dir, 'node_modules');
  mkdirSync(join(modules, '.bin'), { recursive: true });
  for (const entry of readdirSync(join(REPO, 'node_modules'))) {
    if (!entry.startsWith('.')) symlinkSync(join(REPO, 'node_modules', entry), join(modules, entry));
  }
  const self = join(modules, 'trackhub-sync');
  mkdirSync(self);
  for (const folder of ['bin', 'generator', 'runtime', 'templates', 'schema']) symlinkSync(join(REPO, folder), join(self, folder), 'dir');
  const preset = './generator/integrations/codegen/preset.mjs';
  writeFileSync(
    join(self, 'package.json'),
    JSON.stringify({
      name: 'trackhub-sync',
      type: 'module',
      exports: { './codegen': preset, './codegen-preset': preset, './runtime/*': './runtime/*/index.ts' },
    }),
  );
  symlinkSync(join(REPO, 'bin/prisma-generator.mjs'), join(modules, '.bin/trackhub-sync-prisma'));
}

/** Run a tool from this repository's node_modules/.bin in `cwd`, with `extraBin` first on PATH (as npx does). */
export function runTool(tool: string, args: readonly string[], cwd: string, extraBin?: string): CliRun {
  const path = [extraBin, join(REPO, 'node_modules/.bin'), process.env.PATH].filter(Boolean).join(delimiter);
  // A user's shell, not vitest's: listr2 (graphql-codegen's output) goes silent under NODE_ENV=test.
  const { NODE_ENV: _nodeEnv, VITEST: _vitest, ...userEnv } = process.env;
  const run = spawnSync(join(REPO, 'node_modules/.bin', tool), args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...userEnv,
      PATH: path,
      NO_COLOR: '1',
      // Offline: generating never runs the schema engine, but Prisma looks for its binary (ENVIRONMENT.md).
      PRISMA_SCHEMA_ENGINE_BINARY: '/bin/true',
      PRISMA_HIDE_UPDATE_MESSAGE: '1',
    },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** Every file of a tree as `{ path: contents }`, for whole-tree equality with a readable diff. */
export function readTree(dir: string): Record<string, string> {
  return Object.fromEntries(listTree(dir).map((path) => [path, readFileSync(join(dir, path), 'utf8')]));
}
