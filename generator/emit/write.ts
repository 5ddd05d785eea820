import { existsSync, linkSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DiagnosticsError } from '../diagnostics';
import { counted, diskPath, shownPath, type OwnershipOptions } from './compare';
import { inOutputFolder, type GeneratedFile } from './generatedFile';
import { MANIFEST_PATH, serializeManifest } from './manifest';
import { inventoryOutput, ownershipDiagnostics } from './ownership';

/** What a write did; the manifest is bookkeeping and committed history snapshots are inputs, so neither is counted. */
export interface WriteSummary {
  written: string[];
  unchanged: string[];
  removed: string[];
}

interface Move {
  from: string;
  to: string;
}

/**
 * Write the output: stage, then apply (README "Output layout").
 *
 * - Ownership: only files trackhub-sync wrote (see inventoryOutput) are
 *   replaced or removed. A folder holding other files is refused before
 *   anything is touched, unless `allowForeign`; a generated file that would
 *   replace a foreign one is always refused.
 * - All or nothing as far as a file system allows: every write that can fail
 *   (the new bytes) happens in a staging folder beside the output and in
 *   temporary siblings; only renames, links and removals follow. Unchanged
 *   files are not touched, so their timestamps stay.
 * - The migration history is append-only: a new snapshot is created with a
 *   hard link, which fails rather than replace a file that appeared meanwhile.
 *
 * This is the only code in the generator that writes to disk.
 */
export function writeOutput(files: readonly GeneratedFile[], outDir: string, baseDir: string, options: OwnershipOptions = {}): WriteSummary {
  const inventory = inventoryOutput(files, outDir);
  const refused = ownershipDiagnostics(inventory, shownPath(baseDir, outDir), options.allowForeign ?? false);
  if (refused.length > 0) throw new DiagnosticsError(refused);

  const summary: WriteSummary = { written: [], unchanged: [], removed: [...inventory.orphans] };
  const parent = dirname(outDir);
  mkdirSync(parent, { recursive: true });
  const stamp = `${process.pid}-${Date.now()}`;
  const staging = join(parent, `.${basename(outDir)}.staging-${stamp}`);
  const temps: string[] = [];
  const outputs: Move[] = [];
  const history: Move[] = [];
  const external: Move[] = [];
  const generatedPaths = files.filter(inOutputFolder).map((f) => f.path);
  let manifest: string | null = null;
  try {
    for (const file of files) {
      const target = diskPath(file, outDir, baseDir);
      const current = existsSync(target) ? readFileSync(target, 'utf8') : null;
      if (current === file.contents) {
        if (counted(file)) summary.unchanged.push(file.path);
        continue;
      }
      if (file.history && current !== null) throw new Error(`migration history file ${file.path} changed while generating; run generate again`);
      if (file.path === MANIFEST_PATH && inOutputFolder(file)) {
        manifest = file.contents;
        continue;
      }
      summary.written.push(file.path);
      if (inOutputFolder(file)) {
        const staged = join(staging, file.path);
        mkdirSync(dirname(staged), { recursive: true });
        writeFileSync(staged, file.contents);
        outputs.push({ from: staged, to: target });
      } else {
        const temp = `${target}.trackhub-sync-${stamp}`;
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(temp, file.contents);
        temps.push(temp);
        (file.history ? history : external).push({ from: temp, to: target });
      }
    }

    // The history first: after a crash, a history one version ahead of the
    // output is picked up by the next run; the reverse would trip the
    // regression guard.
    for (const { from, to } of history) linkSync(from, to);
    mkdirSync(outDir, { recursive: true });
    // The manifest first claims every file this run may leave in the folder,
    // old and new, so that a crash half-way never leaves a generated file
    // unrecorded (and later refused as foreign).
    const claimAll = serializeManifest([...inventory.owned, ...generatedPaths]);
    const manifestPath = join(outDir, MANIFEST_PATH);
    if (outputs.length + summary.removed.length > 0) replaceFile(manifestPath, claimAll, staging);
    for (const { from, to } of outputs) {
      mkdirSync(dirname(to), { recursive: true });
      renameSync(from, to);
    }
    for (const path of summary.removed) {
      rmSync(join(outDir, path), { force: true });
      removeEmptyFolders(dirname(join(outDir, path)), outDir);
    }
    for (const { from, to } of external) renameSync(from, to);
    const finalManifest = manifest ?? serializeManifest(generatedPaths);
    if (!existsSync(manifestPath) || readFileSync(manifestPath, 'utf8') !== finalManifest) replaceFile(manifestPath, finalManifest, staging);
  } finally {
    rmSync(staging, { recursive: true, force: true });
    for (const temp of temps) rmSync(temp, { force: true });
  }
  return summary;
}

/** Replace a file by renaming a staged copy over it. */
function replaceFile(target: string, contents: string, staging: string): void {
  mkdirSync(staging, { recursive: true });
  const staged = join(staging, `.replace-${basename(target)}`);
  writeFileSync(staged, contents);
  renameSync(staged, target);
}

/** Remove `dir` and its parents up to (not including) `root` while they are empty. */
function removeEmptyFolders(dir: string, root: string): void {
  let current = dir;
  while (current !== root && current.startsWith(root) && existsSync(current) && readdirSync(current).length === 0) {
    rmdirSync(current);
    current = dirname(current);
  }
}
