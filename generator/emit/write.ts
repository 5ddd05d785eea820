import {
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  rmdirSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DiagnosticsError } from '../diagnostics';
import { removeDeadRunFiles, siblingName, siblingPid } from './deadRuns';
import { bytesOnDisk, counted, diskPath, shownPath, type CompareOptions } from './compare';
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
 *   (the new bytes) happens in a staging folder beside the output; only
 *   renames, links and removals follow. Unchanged files are not touched, so
 *   their timestamps stay.
 * - A run killed half-way is completed by the next one: the manifest claims
 *   every file first, and the next run removes the staging folder a dead run
 *   left (sweepDeadStaging), so nothing of the killed run stays behind.
 * - The migration history is append-only: a new snapshot is created with a
 *   hard link, which fails rather than replace a file that appeared meanwhile.
 *
 * This is the only code in the generator that writes to disk.
 */
export function writeOutput(files: readonly GeneratedFile[], outDir: string, baseDir: string, options: CompareOptions = {}): WriteSummary {
  const staged = stageOutput(files, outDir, baseDir, options);
  try {
    return staged.apply();
  } finally {
    staged.discard();
  }
}

/** `writeOutput` in two halves; see stageOutput. */
export interface StagedOutput {
  /** Put the staged files in place (what writeOutput does after staging); throws what staging threw. */
  apply(): WriteSummary;
  /** Remove the staging folder and temporary files; call it after apply, or instead of it. */
  discard(): void;
}

/**
 * The first half of `writeOutput`: checks ownership and writes the new bytes
 * of the output folder's files into the staging folder beside it, which
 * changes nothing in the output, the migration history or any other folder.
 * `generate` stages while the parse check of the same files is still running
 * (generator/pipeline.ts runPipelineAsync), and discards on a parse error,
 * so nothing is written then either. A failure here (ownership refused, a
 * write error) is thrown by `apply`, where writeOutput would throw it.
 */
export function stageOutput(files: readonly GeneratedFile[], outDir: string, baseDir: string, options: CompareOptions = {}): StagedOutput {
  const parent = dirname(outDir);
  const stamp = `${process.pid}-${Date.now()}`;
  sweepDeadStaging(outDir);
  const staging = join(parent, `.${basename(outDir)}.staging-${stamp}`);
  const temps: string[] = [];
  const discard = () => {
    rmSync(staging, { recursive: true, force: true });
    for (const temp of temps) rmSync(temp, { force: true });
  };
  let stage: ReturnType<typeof stageFiles>;
  try {
    stage = stageFiles(files, outDir, baseDir, options, staging);
  } catch (error) {
    discard();
    return {
      apply: () => {
        throw error;
      },
      discard: () => {},
    };
  }
  return { apply: () => applyStaged(stage, files, outDir, staging, stamp, temps), discard };
}

interface Stage {
  inventory: ReturnType<typeof inventoryOutput>;
  summary: WriteSummary;
  /** Staged output-folder files to rename into place. */
  outputs: Move[];
  /** Files outside the output folder (history snapshots, edited .proto files): written as temporary siblings when applied. */
  outside: { file: GeneratedFile; target: string }[];
  /** The folders of every file outside the output folder, written or not (dead runs' siblings are swept there). */
  outsideDirs: Set<string>;
  /** The new manifest when it changed, else null. */
  manifest: string | null;
}

function stageFiles(files: readonly GeneratedFile[], outDir: string, baseDir: string, options: CompareOptions, staging: string): Stage {
  const inventory = inventoryOutput(files, outDir);
  const refused = ownershipDiagnostics(inventory, shownPath(baseDir, outDir), options.allowForeign ?? false);
  if (refused.length > 0) throw new DiagnosticsError(refused);

  const summary: WriteSummary = { written: [], unchanged: [], removed: [...inventory.orphans] };
  mkdirSync(dirname(outDir), { recursive: true });
  const outputs: Move[] = [];
  const outside: Stage['outside'] = [];
  let manifest: string | null = null;
  const outsideDirs = new Set<string>();
  for (const file of files) {
    const target = diskPath(file, outDir, baseDir);
    if (!inOutputFolder(file)) outsideDirs.add(dirname(target));
    const current = bytesOnDisk(file, target, options.sameOnDisk);
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
      outside.push({ file, target });
    }
  }
  return { inventory, summary, outputs, outside, outsideDirs, manifest };
}

function applyStaged(stage: Stage, files: readonly GeneratedFile[], outDir: string, staging: string, stamp: string, temps: string[]): WriteSummary {
  const { inventory, summary, outputs, manifest } = stage;
  const history: Move[] = [];
  const external: Move[] = [];
  // The last writes that can fail, before anything is renamed, linked or removed: into the staging
  // folder, so a killed run leaves nothing beside the user's files (a sibling only across file systems,
  // and the siblings a killed run left there are removed first).
  for (const dir of stage.outsideDirs) removeDeadRunFiles(dir, siblingPid);
  for (const [index, { file, target }] of stage.outside.entries()) {
    mkdirSync(dirname(target), { recursive: true });
    const temp = join(staging, '.outside', String(index));
    mkdirSync(dirname(temp), { recursive: true });
    writeFileSync(temp, file.contents);
    (file.history ? history : external).push({
      from: sameFileSystem(temp, dirname(target)) ? temp : siblingCopy(temp, target, stamp, temps),
      to: target,
    });
  }
  const generatedPaths = files.filter(inOutputFolder).map((f) => f.path);

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
  return summary;
}

/**
 * Remove the staging folders of this output that runs no longer alive left
 * (killed half-way: its files are claimed by the manifest, the next run
 * writes them again). A folder of a live run, here or in another process, is
 * left alone; only names this module gives (`.<out>.staging-<pid>-<time>`).
 */
function sweepDeadStaging(outDir: string): void {
  const prefix = `.${basename(outDir)}.staging-`;
  removeDeadRunFiles(dirname(outDir), (name) => (name.startsWith(prefix) ? /^(\d+)-\d+$/.exec(name.slice(prefix.length))?.[1] : undefined));
}

function sameFileSystem(a: string, b: string): boolean {
  return statSync(a).dev === statSync(b).dev;
}

/** A history snapshot or .proto file on another file system than the output: staged as a temporary sibling (links and renames do not cross). */
function siblingCopy(staged: string, target: string, stamp: string, temps: string[]): string {
  const temp = siblingName(target, stamp);
  copyFileSync(staged, temp);
  temps.push(temp);
  return temp;
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
