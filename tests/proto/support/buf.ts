import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The buf binary shipped by the `@bufbuild/buf` npm package; it runs offline. */
export const BUF = fileURLToPath(new URL('../../../node_modules/.bin/buf', import.meta.url));

export interface BufResult {
  status: number;
  output: string;
}

/** Run `buf <args>` in `cwd`; returns the exit status and stdout + stderr. */
export function buf(args: readonly string[], cwd: string): BufResult {
  const run = spawnSync(BUF, args, { cwd, encoding: 'utf8', env: { ...process.env, BUF_CACHE_DIR: join(cwd, '.buf-cache') } });
  if (run.error) throw run.error;
  return { status: run.status ?? -1, output: `${run.stdout}${run.stderr}` };
}

/**
 * A buf v2 module in a fresh temp folder: `lint` uses the given rules
 * (STANDARD by default), `breaking` the given category (FILE, buf's default
 * and strictest, unless told otherwise).
 */
export function bufModule(options: { except?: string[]; breaking?: string } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'trackhub-buf-'));
  created.push(dir);
  const except = options.except?.length ? `  except: [${options.except.join(', ')}]\n` : '';
  writeFileSync(join(dir, 'buf.yaml'), `version: v2\nlint:\n  use: [STANDARD]\n${except}breaking:\n  use: [${options.breaking ?? 'FILE'}]\n`);
  return dir;
}

const created: string[] = [];

/** Remove every module folder made by `bufModule` (call from `afterAll`). */
export function removeModules(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Copy a folder of .proto files into a module. */
export function copyInto(module: string, from: string): void {
  cpSync(from, module, { recursive: true });
}

/** Write files (POSIX paths relative to the module) into a module. */
export function writeInto(module: string, files: Record<string, string>): void {
  for (const [path, contents] of Object.entries(files)) {
    mkdirSync(dirname(join(module, path)), { recursive: true });
    writeFileSync(join(module, path), contents);
  }
}
