/**
 * Install weight: what installing the packed tarball adds to an empty app
 * (`npm run weight`, README "Development"). Packs the repository (the build
 * runs in `prepack`) unless a tarball is given, installs it into an empty
 * project the way a user would (`npm install <tarball>`, npm adds the
 * non-optional peers), and prints the packages and megabytes of
 * node_modules, largest first.
 */
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The target the package holds itself to (issue #11). */
export const WEIGHT_TARGET_MB = 60;

export interface InstallWeight {
  packages: number;
  bytes: number;
  /** Top-level packages with everything under their folder, largest first. */
  largest: { name: string; bytes: number }[];
}

function folderBytes(path: string): number {
  const stat = lstatSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((sum, entry) => sum + folderBytes(join(path, entry)), 0);
}

/** Install `tarball` into a new empty project and measure its node_modules. */
export function measureInstall(tarball: string): InstallWeight {
  const app = mkdtempSync(join(tmpdir(), 'trackhub-weight-'));
  try {
    writeFileSync(join(app, 'package.json'), '{ "name": "empty-app", "private": true }\n');
    execFileSync('npm', ['install', resolve(tarball), '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], { cwd: app, stdio: 'ignore', timeout: 600_000 });
    const modules = join(app, 'node_modules');
    const lock = JSON.parse(readFileSync(join(modules, '.package-lock.json'), 'utf8')) as { packages: Record<string, unknown> };
    const tops = readdirSync(modules)
      .filter((name) => !name.startsWith('.'))
      .flatMap((name) => (name.startsWith('@') ? readdirSync(join(modules, name)).map((sub) => `${name}/${sub}`) : [name]));
    const largest = tops.map((name) => ({ name, bytes: folderBytes(join(modules, name)) })).sort((a, b) => b.bytes - a.bytes);
    return { packages: Object.keys(lock.packages).filter((p) => p.startsWith('node_modules/')).length, bytes: folderBytes(modules), largest };
  } finally {
    rmSync(app, { recursive: true, force: true });
  }
}

export const mb = (bytes: number) => (bytes / 1_000_000).toFixed(1);

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  let tarball = process.argv[2];
  let packDir: string | undefined;
  if (!tarball) {
    packDir = mkdtempSync(join(tmpdir(), 'trackhub-pack-'));
    const repo = fileURLToPath(new URL('../', import.meta.url));
    execFileSync('npm', ['pack', '--pack-destination', packDir, '--loglevel=error'], { cwd: repo, stdio: ['ignore', 'ignore', 'inherit'] });
    tarball = join(packDir, readdirSync(packDir).find((f) => f.endsWith('.tgz'))!);
  }
  const weight = measureInstall(tarball);
  console.log(`installing ${tarball.split('/').pop()} into an empty app adds ${weight.packages} packages, ${mb(weight.bytes)} MB (target < ${WEIGHT_TARGET_MB} MB)`);
  for (const { name, bytes } of weight.largest.slice(0, 12)) console.log(`  ${mb(bytes).padStart(6)} MB  ${name}`);
  if (packDir) rmSync(packDir, { recursive: true, force: true });
  process.exitCode = weight.bytes < WEIGHT_TARGET_MB * 1_000_000 ? 0 : 1;
}
