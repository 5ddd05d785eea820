import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import type { GeneratedFile } from './generatedFile';

export interface TreeComparison {
  /** Files whose bytes differ from what would be generated. */
  stale: string[];
  /** Files that would be generated but are not on disk. */
  missing: string[];
  /** Files in the output folder that generation would not produce. */
  orphans: string[];
  unchanged: string[];
  /** Unified diff of every stale, missing and orphan file. */
  diff: string;
}

/** Every file under `dir` as POSIX paths relative to it, sorted. */
export function listTree(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const walk = (sub: string): string[] =>
    readdirSync(join(dir, sub), { withFileTypes: true }).flatMap((e) => {
      const rel = sub ? `${sub}/${e.name}` : e.name;
      return e.isDirectory() ? walk(rel) : [rel];
    });
  return walk('').sort();
}

/** Where a generated file lives on disk. */
export function diskPath(file: GeneratedFile, outDir: string, baseDir: string): string {
  return resolve(file.external ? baseDir : outDir, file.path);
}

/** Compare the in-memory output with the disk: the same result `generate` would write. */
export function compareTree(files: readonly GeneratedFile[], outDir: string, baseDir: string): TreeComparison {
  const result: TreeComparison = { stale: [], missing: [], orphans: [], unchanged: [], diff: '' };
  const patches: string[] = [];
  const owned = new Set(files.filter((f) => !f.external).map((f) => f.path));
  for (const file of files) {
    const path = diskPath(file, outDir, baseDir);
    const label = file.path;
    if (!existsSync(path)) {
      result.missing.push(file.path);
      patches.push(createTwoFilesPatch(`a/${label}`, `b/${label}`, '', file.contents, '(missing)', '(generated)'));
      continue;
    }
    const current = readFileSync(path, 'utf8');
    if (current === file.contents) {
      result.unchanged.push(file.path);
    } else {
      result.stale.push(file.path);
      patches.push(createTwoFilesPatch(`a/${label}`, `b/${label}`, current, file.contents, '(on disk)', '(generated)'));
    }
  }
  for (const path of listTree(outDir)) {
    if (owned.has(path)) continue;
    result.orphans.push(path);
    const current = readFileSync(join(outDir, path), 'utf8');
    patches.push(createTwoFilesPatch(`a/${path}`, `b/${path}`, current, '', '(on disk)', '(not generated)'));
  }
  result.diff = patches.join('');
  return result;
}
