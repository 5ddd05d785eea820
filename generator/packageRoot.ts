import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package's root folder, holding `templates/` and `schema/`. Found by
 * walking up from this module: in the repository it sits in `generator/`,
 * in the published package it is bundled into a chunk under `dist/` (README
 * "Development"), so a fixed `../..` would be right in one place only.
 */
function findRoot(): { dir: string; version: string } {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    const read = existsSync(manifest) ? (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string }) : {};
    if (read.name === 'trackhub-sync') return { dir, version: read.version ?? '0.0.0' };
    const parent = dirname(dir);
    if (parent === dir) throw new Error('trackhub-sync: package.json of the trackhub-sync package not found above its modules');
    dir = parent;
  }
}

let root: { dir: string; version: string } | undefined;

/** Absolute path of a file or folder shipped with the package (`templates/`, `schema/…`); folders end with `/`. */
export function packagePath(relativePath: string): string {
  root ??= findRoot();
  return join(root.dir, relativePath) + (relativePath.endsWith('/') ? '/' : '');
}

/** The package's version (its package.json), as `trackhub-sync --version` prints it. */
export function packageVersion(): string {
  root ??= findRoot();
  return root.version;
}
