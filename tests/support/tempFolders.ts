import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/**
 * Temporary folders removed after a test file's tests: called once at module
 * level, it returns `temp(prefix, parent)`, a new folder in `parent` (the OS
 * temporary folder unless given).
 */
export function tempFolders(): (prefix: string, parent?: string) => string {
  const made: string[] = [];
  afterAll(() => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });
  return (prefix, parent = tmpdir()) => {
    const dir = mkdtempSync(join(parent, prefix));
    made.push(dir);
    return dir;
  };
}
