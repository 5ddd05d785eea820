import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** The project the packed tarball was installed into (tests/package/globalSetup.ts). */
export function packageApp(): string {
  return inject('packageApp');
}

/**
 * A fresh folder inside the installed project: its files are the test's own,
 * its modules the project's (Node and npx look up the parent's node_modules).
 * Removed with the project after the run.
 */
export function appFolder(prefix: string): string {
  return mkdtempSync(join(packageApp(), `${prefix}-`));
}

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  output: string;
}

/** Run a command as a user's shell would: the project's node_modules/.bin first on PATH, no test-runner environment. */
export function run(command: string, args: readonly string[], cwd: string, options: { timeout?: number; env?: Record<string, string> } = {}): Run {
  const { NODE_ENV: _n, VITEST: _v, VITEST_POOL_ID: _p, VITEST_WORKER_ID: _w, NODE_OPTIONS: _o, ...env } = process.env;
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    timeout: options.timeout ?? 300_000,
    env: {
      ...env,
      PATH: [join(packageApp(), 'node_modules/.bin'), process.env.PATH].join(delimiter),
      NO_COLOR: '1',
      npm_config_update_notifier: 'false',
      ...options.env,
    },
  });
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    output: `$ ${command} ${args.join(' ')}\n${result.stdout}${result.stderr}${result.error ? String(result.error) : ''}`,
  };
}

/** Run `node file` (plain Node: no loader, no tsx). */
export function node(args: readonly string[], cwd: string, options: { timeout?: number; env?: Record<string, string> } = {}): Run {
  return run(process.execPath, args, cwd, options);
}

const readme = readFileSync(join(REPO, 'README.md'), 'utf8');

/** The fenced block right after `<!-- walkthrough:NAME -->` in README.md. */
export function readmeBlock(name: string): string {
  const match = new RegExp(`<!-- walkthrough:${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} -->\\s*\`\`\`\\w*\\n([\\s\\S]*?)\`\`\``).exec(readme);
  if (!match) throw new Error(`README has no walkthrough block '${name}'`);
  return match[1]!;
}

/** Split a command line as a POSIX shell would for simple double-quoted words. */
export function words(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
}
