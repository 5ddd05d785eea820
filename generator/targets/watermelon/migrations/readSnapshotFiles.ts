import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { SnapshotFile } from './chain';
import { SNAPSHOT_DIR } from './snapshot';

/**
 * The committed snapshots under `<outDir>/snapshots/`: an input of the
 * pipeline, read (never written) here; writing stays in emit/write.ts.
 */
export function readSnapshotFiles(outDir: string): SnapshotFile[] {
  const dir = join(outDir, SNAPSHOT_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .map((entry) => ({
      path: `${SNAPSHOT_DIR}/${entry.name}${entry.isDirectory() ? '/' : ''}`,
      text: entry.isFile() ? readFileSync(join(dir, entry.name), 'utf8') : '',
    }))
    .sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * The local schema version the generated `watermelon/schema.ts` in the output
 * folder declares, or null when there is none: a guard against snapshots
 * deleted while released apps are at a later version.
 */
export function readDeclaredVersion(outDir: string): number | null {
  const file = join(outDir, 'watermelon/schema.ts');
  if (!existsSync(file)) return null;
  const match = /export const SCHEMA_VERSION = (\d+);/.exec(readFileSync(file, 'utf8'));
  return match ? Number(match[1]) : null;
}
