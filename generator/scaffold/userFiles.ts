import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

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

/** Plan an edit from the file's current text (or create it when missing). */
export function planEdit(path: string, edit: (current: string) => string): FileChange {
  if (!existsSync(path)) return { kind: 'create', path, contents: edit('') };
  const before = readFileSync(path, 'utf8');
  return { kind: 'edit', path, before, contents: edit(before) };
}

/**
 * Apply planned changes. Each file is written to a sibling temp file and
 * renamed over the target, so a file is never left half-written; an edit
 * whose file changed since it was planned is refused.
 */
export function applyChanges(changes: readonly FileChange[]): void {
  for (const change of changes) {
    if (change.kind === 'edit' && readFileSync(change.path, 'utf8') !== change.before) {
      throw new Error(`${change.path} changed while trackhub-sync was editing it; nothing was written to it.`);
    }
  }
  for (const change of changes) {
    if (change.kind === 'keep') continue;
    mkdirSync(dirname(change.path), { recursive: true });
    const temp = `${change.path}.trackhub-sync-${process.pid}`;
    writeFileSync(temp, change.contents);
    renameSync(temp, change.path);
  }
}
