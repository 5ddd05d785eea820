import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { APP_TOOLS } from './tools';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A folder holding the packed tarball (`trackhub-sync-<version>.tgz`). */
    packDir: string;
    /** A project with the tarball and APP_TOOLS installed; tests work in sub-folders of it. */
    packageApp: string;
  }
}

const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** npm as a user runs it, quiet, from the local cache first. */
export function npm(args: readonly string[], cwd: string, env: Record<string, string> = {}): string {
  return execFileSync('npm', [...args, '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
    cwd,
    encoding: 'utf8',
    timeout: 600_000,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, npm_config_update_notifier: 'false', ...env },
  });
}

let root: string | undefined;

/**
 * better-sqlite3 has no prebuilt binary reachable from here (its install
 * downloads one from GitHub, else compiles SQLite: minutes on two cores).
 * This repository's own install already compiled the same version for this
 * Node; offer that file to prebuild-install as a local prebuild, exactly as a
 * team's CI would serve prebuilds from a mirror. Returns the env to install with.
 */
function localPrebuilds(dir: string): Record<string, string> {
  const pinned = APP_TOOLS.find((t) => t.startsWith('better-sqlite3@'))!.split('@')[1];
  const module = join(REPO, 'node_modules/better-sqlite3');
  const version = (JSON.parse(readFileSync(join(module, 'package.json'), 'utf8')) as { version: string }).version;
  if (version !== pinned || !existsSync(join(module, 'build/Release/better_sqlite3.node'))) return {};
  const name = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  execFileSync('tar', ['-czf', join(dir, name), '-C', module, 'build/Release/better_sqlite3.node']);
  return { npm_config_better_sqlite3_local_prebuilds: dir };
}

/**
 * Pack the repository once (`npm pack` runs `prepack`, the build) and install
 * the tarball with APP_TOOLS into one temporary project, which every test of
 * tests/package uses read-only beside its own files (never this repository's
 * node_modules).
 */
export function setup(project: TestProject): void {
  // Iterating on these tests: TRACKHUB_PACKAGE_ROOT names a kept root (pack/ and app/) to reuse as it is.
  const kept = process.env.TRACKHUB_PACKAGE_ROOT;
  if (kept && existsSync(join(kept, 'app/node_modules'))) {
    project.provide('packDir', join(kept, 'pack'));
    project.provide('packageApp', join(kept, 'app'));
    return;
  }
  const started = Date.now();
  root = mkdtempSync(join(tmpdir(), 'trackhub-package-'));
  const packDir = join(root, 'pack');
  mkdirSync(packDir);
  npm(['pack', '--pack-destination', packDir], REPO);
  const tarball = readdirSync(packDir).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error('npm pack wrote no tarball');
  const packed = Date.now();

  const app = join(root, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), `${JSON.stringify({ name: 'package-test-app', private: true, type: 'module' }, null, 2)}\n`);
  const prebuilds = join(root, 'prebuilds');
  mkdirSync(prebuilds);
  npm(['install', '--save-exact', join(packDir, tarball), ...APP_TOOLS], app, localPrebuilds(prebuilds));
  process.stderr.write(
    `tests/package: npm pack ${((packed - started) / 1000).toFixed(1)} s, install ${((Date.now() - packed) / 1000).toFixed(1)} s\n`,
  );
  project.provide('packDir', packDir);
  project.provide('packageApp', app);
}

export function teardown(): void {
  if (root) rmSync(root, { recursive: true, force: true });
}
