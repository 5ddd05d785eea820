import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import type * as Diff from 'diff';
import { DiagnosticsError } from '../diagnostics';
import type { GeneratedFile } from './generatedFile';
import { listTree } from './listTree';
import { MANIFEST_PATH } from './manifest';
import { inventoryOutput, ownershipDiagnostics } from './ownership';
import { lazyModule } from '../lazyModule';

const diff = lazyModule<typeof Diff>('diff');

export { listTree };

export interface TreeComparison {
  /** Files whose bytes differ from what would be generated. */
  stale: string[];
  /** Files that would be generated but are not on disk. */
  missing: string[];
  /** Files trackhub-sync wrote in the output folder that generation would no longer produce (`generate` removes them). */
  orphans: string[];
  /** Files in the output folder trackhub-sync did not write, left alone (only with `allowForeign`). */
  foreign: string[];
  /** Unchanged files (the manifest and committed history snapshots are compared but not counted). */
  unchanged: string[];
  /** Unified diff of every stale, missing and orphan file. */
  diff: string;
}

export interface OwnershipOptions {
  /** Generate beside files trackhub-sync did not write (never replacing or deleting them). */
  allowForeign?: boolean;
}

/** Disk paths of generated files whose bytes this run already found on disk as generated. */
export type SameOnDisk = ReadonlySet<string>;

export interface CompareOptions extends OwnershipOptions {
  /** What the pipeline found unchanged while rendering (PipelineResult.sameOnDisk): not read again. */
  sameOnDisk?: SameOnDisk;
}

/** A generated file's bytes at `path` (null: absent): its own bytes when this run found them there already. */
export function bytesOnDisk(file: GeneratedFile, path: string, sameOnDisk?: SameOnDisk): string | null {
  if (sameOnDisk?.has(path)) return file.contents;
  return existsSync(path) ? readFileSync(path, 'utf8') : null;
}

/** Where a generated file lives on disk. */
export function diskPath(file: GeneratedFile, outDir: string, baseDir: string): string {
  return resolve(file.external || file.history ? baseDir : outDir, file.path);
}

/**
 * Compare the in-memory output with the disk: the same result `generate`
 * would write, refused (DiagnosticsError) exactly when `generate` would refuse
 * it for files it did not write.
 */
export function compareTree(files: readonly GeneratedFile[], outDir: string, baseDir: string, options: CompareOptions = {}): TreeComparison {
  const inventory = inventoryOutput(files, outDir);
  const refused = ownershipDiagnostics(inventory, shownPath(baseDir, outDir), options.allowForeign ?? false);
  if (refused.length > 0) throw new DiagnosticsError(refused);
  const result: TreeComparison = { stale: [], missing: [], orphans: [], foreign: inventory.foreign, unchanged: [], diff: '' };
  const patches: string[] = [];
  for (const file of files) {
    const path = diskPath(file, outDir, baseDir);
    const label = file.path;
    const current = bytesOnDisk(file, path, options.sameOnDisk);
    if (current === null) {
      result.missing.push(file.path);
      patches.push(diff().createTwoFilesPatch(`a/${label}`, `b/${label}`, '', file.contents, '(missing)', '(generated)'));
      continue;
    }
    if (current === file.contents) {
      if (counted(file)) result.unchanged.push(file.path);
    } else {
      result.stale.push(file.path);
      patches.push(diff().createTwoFilesPatch(`a/${label}`, `b/${label}`, current, file.contents, '(on disk)', '(generated)'));
    }
  }
  for (const path of inventory.orphans) {
    result.orphans.push(path);
    const current = readFileSync(join(outDir, path), 'utf8');
    patches.push(diff().createTwoFilesPatch(`a/${path}`, `b/${path}`, current, '', '(on disk)', '(not generated)'));
  }
  result.diff = patches.join('');
  return result;
}

/**
 * Whether an unchanged file is counted in summaries: bookkeeping (the
 * manifest) and the committed history snapshots are not, so counts speak of
 * the generated code.
 */
export function counted(file: GeneratedFile): boolean {
  return !file.history && !(file.path === MANIFEST_PATH && !file.external);
}

/** A folder as diagnostics show it: relative to the config folder. */
export function shownPath(baseDir: string, path: string): string {
  return relative(baseDir, path).split(sep).join('/') || '.';
}
