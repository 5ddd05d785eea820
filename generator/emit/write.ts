import { existsSync, linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { diskPath, listTree } from './compare';
import type { GeneratedFile } from './generatedFile';

export interface WriteSummary {
  written: string[];
  unchanged: string[];
  removed: string[];
}

/**
 * Write the whole output, all or nothing. The new tree is built in a staging
 * folder beside the output (unchanged files hard-linked, so their timestamps
 * stay), then swapped in with two renames; a failure before the swap leaves
 * the old output untouched. The output folder is owned by trackhub-sync:
 * files it no longer generates are removed.
 *
 * This is the only code in the generator that writes to disk.
 */
export function writeOutput(files: readonly GeneratedFile[], outDir: string, baseDir: string): WriteSummary {
  const summary: WriteSummary = { written: [], unchanged: [], removed: [] };
  const parent = dirname(outDir);
  mkdirSync(parent, { recursive: true });
  const stamp = `${process.pid}-${Date.now()}`;
  const staging = join(parent, `.${basename(outDir)}.staging-${stamp}`);
  const retired = join(parent, `.${basename(outDir)}.old-${stamp}`);
  const owned = files.filter((f) => !f.external);
  const external = files.filter((f) => f.external);
  try {
    mkdirSync(staging, { recursive: true });
    for (const file of owned) {
      const target = join(staging, file.path);
      mkdirSync(dirname(target), { recursive: true });
      const current = join(outDir, file.path);
      if (existsSync(current) && readFileSync(current, 'utf8') === file.contents) {
        linkSync(current, target);
        summary.unchanged.push(file.path);
      } else {
        writeFileSync(target, file.contents);
        summary.written.push(file.path);
      }
    }
    const kept = new Set(owned.map((f) => f.path));
    summary.removed = listTree(outDir).filter((p) => !kept.has(p));
    // External files (edited .proto files) are staged as siblings first so
    // that every write that can fail happens before anything is replaced.
    const staged = external.flatMap((file) => {
      const target = diskPath(file, outDir, baseDir);
      if (existsSync(target) && readFileSync(target, 'utf8') === file.contents) {
        summary.unchanged.push(file.path);
        return [];
      }
      const temp = `${target}.trackhub-sync-${stamp}`;
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(temp, file.contents);
      summary.written.push(file.path);
      return [{ temp, target }];
    });
    if (existsSync(outDir)) renameSync(outDir, retired);
    renameSync(staging, outDir);
    for (const { temp, target } of staged) renameSync(temp, target);
  } finally {
    rmSync(staging, { recursive: true, force: true });
    rmSync(retired, { recursive: true, force: true });
  }
  return summary;
}
