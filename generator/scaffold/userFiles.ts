import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { removeDeadRunFiles } from '../emit/deadRuns';

/**
 * A change to a file the user owns (their schema, the config), planned in
 * memory first so that everything is validated before anything is written.
 */
export type FileChange =
  | { kind: 'create'; path: string; contents: string }
  | { kind: 'edit'; path: string; before: string; contents: string }
  | { kind: 'keep'; path: string; reason: string };

/** Plan creating a file that init owns; an existing file is kept as it is. */
export function planCreate(path: string, contents: string): FileChange {
  return existsSync(path) ? { kind: 'keep', path, reason: 'exists' } : { kind: 'create', path, contents };
}

/** Plan an edit from the file's current text (or create it when missing); an edit that changes nothing keeps the file. */
export function planEdit(path: string, edit: (current: string) => string): FileChange {
  if (!existsSync(path)) return { kind: 'create', path, contents: edit('') };
  const before = readFileSync(path, 'utf8');
  const contents = edit(before);
  return contents === before ? { kind: 'keep', path, reason: 'unchanged' } : { kind: 'edit', path, before, contents };
}

/** The temporary sibling a change is written to before it is renamed over `path`: the only name this module creates. */
export function tempPath(path: string, pid: number = process.pid): string {
  return `${path}.trackhub-sync-${pid}`;
}

/**
 * Apply planned changes. Each file is written to a temporary sibling
 * (tempPath) and renamed over the target, so a file is never left
 * half-written; an edit whose file changed since it was planned is refused.
 *
 * A run killed half-way (README "Scaffolding: init, add-entity, doctor") can
 * leave some files changed and others not, and a temporary sibling whose
 * rename never happened. The commands plan from the files as they are, so
 * running the same command again plans (and applies) exactly what is still
 * missing; the dead run's temporary siblings beside every planned file are
 * removed first (sweepDeadTemps).
 */
export function applyChanges(changes: readonly FileChange[]): void {
  for (const change of changes) {
    if (change.kind === 'edit' && readFileSync(change.path, 'utf8') !== change.before) {
      throw new Error(`${change.path} changed while trackhub-sync was editing it; nothing was written to it.`);
    }
  }
  sweepDeadTemps(changes.map((c) => c.path));
  for (const change of changes) {
    if (change.kind === 'keep') continue;
    mkdirSync(dirname(change.path), { recursive: true });
    const temp = tempPath(change.path);
    writeFileSync(temp, change.contents);
    renameSync(temp, change.path);
  }
}

/**
 * Remove the temporary siblings (tempPath) of these files that processes no
 * longer alive left: a run killed between writing one and renaming it. Only
 * that exact name is touched; a live process's temporary file (a run going on
 * right now) is kept, as is anything else beside the files.
 */
export function sweepDeadTemps(paths: readonly string[]): void {
  for (const path of new Set(paths)) {
    const prefix = `${basename(path)}.trackhub-sync-`;
    removeDeadRunFiles(dirname(path), (name) => (name.startsWith(prefix) ? /^\d+$/.exec(name.slice(prefix.length))?.[0] : undefined));
  }
}
