import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { runInThisContext } from 'node:vm';

/**
 * Where V8's code cache of a large CommonJS file is kept (README "Generate:
 * the code cache", docs/PERFORMANCE.md "Generate"): TypeScript in the parse
 * check's worker, whose 9 MB compile is most of the worker's start, and the
 * bin's own bundle (dist/bin/cli.cjs), on Node versions without
 * `module.enableCompileCache` (< 22.1).
 *
 * The folders to try, in order: `node_modules/.cache/trackhub-sync` of the
 * node_modules that holds the file being loaded (the conventional cache
 * folder, next to the project), then a per-user folder in the OS temporary
 * folder (read-only node_modules, or a file outside any node_modules).
 * `TRACKHUB_SYNC_CACHE=0` (or `off`, `false`) turns the cache off; any other
 * value is the one folder to use. Never the output folder: nothing here
 * knows it.
 */
export function codeCacheDirs(file: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const setting = env.TRACKHUB_SYNC_CACHE?.trim();
  if (setting && ['0', 'off', 'false', 'no'].includes(setting.toLowerCase())) return [];
  if (setting) return [setting];
  const dirs: string[] = [];
  const at = dirname(file).lastIndexOf(`${sep}node_modules${sep}`);
  if (at >= 0) dirs.push(join(file.slice(0, at), 'node_modules', '.cache', 'trackhub-sync'));
  dirs.push(join(tmpdir(), `trackhub-sync-cache-${process.getuid?.() ?? 'user'}`));
  return dirs;
}

/** What a load found in the code cache, and `save()`, which writes a new one if needed (returns whether it did). */
export interface CodeCacheLoad {
  exports: unknown;
  cache: 'off' | 'compile-cache' | 'missing' | 'corrupt' | 'rejected' | 'accepted';
  save: () => boolean;
}

/**
 * CommonJS source of `loadWithCodeCache(path, dirs, name)`: it loads the
 * CommonJS file at `path` and returns a `CodeCacheLoad`. Evaluated as a
 * string so that the parse check's worker (parseCheckWorker.ts, no file of its
 * own) and the main thread (`loadWithCodeCache` below) run the same code.
 * On Node with `module.enableCompileCache` (>= 22.1) that cache is used and
 * this one is off. Otherwise the file is compiled through `vm.Script` with the
 * cached data of an earlier run, if a cache file matches: its name holds
 * `name`, the Node version, architecture and a hash of the file's bytes and
 * path; its first 32 bytes are the SHA-256 of the rest (V8 checks its own
 * version, flags and the data's length, not the data itself in a release
 * build, so a damaged file must not reach it). `save()` writes the cache
 * after the work (V8 then includes the functions compiled while working) when
 * this run found none, or a damaged or rejected one: a temporary file renamed
 * into place, so a reader never sees half a file (one left by a save that was
 * killed is removed by a later save once its process is gone). Any failure (unreadable,
 * corrupt, unwritable) falls back to loading as usual; the cache never fails
 * a run. The same module code runs either way, except `import()`: a script
 * compiled so has no module loader to call (the bin hands the program one,
 * generator/importModule.ts).
 */
export const CODE_CACHE_SOURCE = `
function loadWithCodeCache(path, dirs, name) {
  const Module = require('node:module');
  if (Module.enableCompileCache) {
    Module.enableCompileCache();
    return { exports: require(path), cache: 'compile-cache', save: () => false };
  }
  if (dirs.length > 0) {
    try {
      return loadCodeCached(path, dirs, name, Module);
    } catch {}
  }
  return { exports: require(path), cache: 'off', save: () => false };
}

function loadCodeCached(path, dirs, prefix, Module) {
  const fs = require('node:fs');
  const vm = require('node:vm');
  const { join, dirname } = require('node:path');
  const sha256 = (...parts) => { const hash = require('node:crypto').createHash('sha256'); for (const part of parts) hash.update(part); return hash.digest(); };
  const bytes = fs.readFileSync(path);
  // The bytes, not the decoded string: hashing a 9 MB string re-encodes it first.
  const name = prefix + '-' + sha256(bytes, path).toString('hex').slice(0, 24) + '-node' + process.version + '-' + process.arch + '.v8cache';
  // As Node's CommonJS loader compiles it (a byte order mark is dropped).
  const source = bytes.toString('utf8').replace(/^\uFEFF/, '');
  let cache = 'missing';
  let cachedData;
  for (const dir of dirs) {
    try {
      const file = join(dir, name);
      // Only a file of this user that no one else may write: V8 runs what it holds.
      const stat = fs.statSync(file);
      if (typeof process.getuid === 'function' && (stat.uid !== process.getuid() || (stat.mode & 0o022) !== 0)) continue;
      const stored = fs.readFileSync(file);
      const data = stored.subarray(32);
      if (stored.length > 32 && sha256(data).equals(stored.subarray(0, 32))) cachedData = data;
      else cache = 'corrupt';
      break;
    } catch {}
  }
  // No module loader behind it: an import() in the file fails (generator/importModule.ts).
  const script = new vm.Script(Module.wrap(source), { filename: path, cachedData });
  if (cachedData) cache = script.cachedDataRejected ? 'rejected' : 'accepted';
  const module = { exports: {}, filename: path, id: path, loaded: false };
  script.runInThisContext()(module.exports, Module.createRequire(path), module, path, dirname(path));
  module.loaded = true;
  let saved = cache === 'accepted';
  const save = () => {
    if (saved) return false;
    saved = true;
    const data = script.createCachedData();
    const stored = Buffer.concat([sha256(data), data]);
    for (const dir of dirs) {
      sweepDeadTemporaries(dir, fs, join);
      const temporary = join(dir, name + '.' + process.pid + '-' + require('node:worker_threads').threadId + '.tmp');
      try {
        fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
        fs.writeFileSync(temporary, stored, { mode: 0o600 });
        fs.renameSync(temporary, join(dir, name));
        // This Node's caches of another version (or path) of the same file are dead weight; other Node versions' are kept.
        const suffix = name.slice(name.indexOf('-node'));
        for (const other of fs.readdirSync(dir)) {
          if (other !== name && other.startsWith(prefix + '-') && other.endsWith(suffix)) fs.rmSync(join(dir, other), { force: true });
        }
        return true;
      } catch {
        try { fs.rmSync(temporary, { force: true }); } catch {}
      }
    }
    return false;
  };
  return { exports: module.exports, cache, save };
}

// The temporary files of saves killed before their rename ('<cache>.<pid>-<thread>.tmp'): removed
// when their process is gone (kill(pid, 0): ESRCH), never a live one's.
function sweepDeadTemporaries(dir, fs, join) {
  let names = [];
  try { names = fs.readdirSync(dir); } catch { return; }
  for (const name of names) {
    const match = /\\.v8cache\\.(\\d+)-\\d+\\.tmp$/.exec(name);
    if (!match) continue;
    try { process.kill(Number(match[1]), 0); continue; } catch (error) { if (error.code !== 'ESRCH') continue; }
    try { fs.rmSync(join(dir, name), { force: true }); } catch {}
  }
}
`;

/**
 * Load the CommonJS file at `path` on this thread through the code cache in
 * `dirs` (see `CODE_CACHE_SOURCE`); `name` tells its cache files apart
 * (`cli`, `typescript`).
 */
export function loadWithCodeCache(path: string, dirs: string[], name: string): CodeCacheLoad {
  const load = runInThisContext(`(function (require) {${CODE_CACHE_SOURCE}\nreturn loadWithCodeCache;\n})`, {
    filename: 'trackhub-sync-code-cache.js',
  }) as (require: NodeJS.Require) => (path: string, dirs: string[], name: string) => CodeCacheLoad;
  return load(createRequire(import.meta.url))(path, dirs, name);
}

/**
 * CommonJS source of `loadTypescript(path, dirs)` for the parse check's
 * worker: TypeScript through the code cache, as `{ ts, cache, save }`.
 */
export const LOAD_TYPESCRIPT_SOURCE = `${CODE_CACHE_SOURCE}
function loadTypescript(path, dirs) {
  const loaded = loadWithCodeCache(path, dirs, 'typescript');
  return { ts: loaded.exports, cache: loaded.cache, save: loaded.save };
}
`;
