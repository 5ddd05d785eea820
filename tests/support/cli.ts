import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listTree } from '../../generator/emit/compare';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(REPO, 'bin/trackhub-sync.mjs');

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Run the real CLI entry point (`bin/trackhub-sync.mjs`) in `cwd`, with `env` added to this process's environment. */
export function cli(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): CliRun {
  const run = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** A scratch copy of a folder of the repository. */
export function scratchCopy(from: string, prefix = 'trackhub-cli-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cpSync(join(REPO, from), dir, { recursive: true });
  return dir;
}

/** Hash of every file (path and bytes) under a folder: proves a tree did not change. */
export function treeHash(dir: string): string {
  const hash = createHash('sha256');
  for (const path of listTree(dir))
    hash
      .update(path)
      .update('\0')
      .update(readFileSync(join(dir, path)))
      .update('\0');
  return hash.digest('hex');
}
