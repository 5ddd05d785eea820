import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';

/**
 * Where the parse check's worker keeps V8's code cache of TypeScript
 * (README "Generate: the TypeScript code cache", docs/PERFORMANCE.md
 * "Generate"): compiling TypeScript's 9 MB is most of the worker's start on
 * Node versions without `module.enableCompileCache` (< 22.1).
 *
 * The folders to try, in order: `node_modules/.cache/trackhub-sync` of the
 * node_modules that holds the TypeScript being loaded (the conventional cache
 * folder, next to the project), then a per-user folder in the OS temporary
 * folder (read-only node_modules). `TRACKHUB_SYNC_CACHE=0` (or `off`,
 * `false`) turns the cache off; any other value is the one folder to use.
 * Never the output folder: nothing here knows it.
 */
export function typescriptCacheDirs(typescript: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const setting = env.TRACKHUB_SYNC_CACHE?.trim();
  if (setting && ['0', 'off', 'false', 'no'].includes(setting.toLowerCase())) return [];
  if (setting) return [setting];
  const dirs: string[] = [];
  const at = dirname(typescript).lastIndexOf(`${sep}node_modules${sep}`);
  if (at >= 0) dirs.push(join(typescript.slice(0, at), 'node_modules', '.cache', 'trackhub-sync'));
  dirs.push(join(tmpdir(), `trackhub-sync-cache-${process.getuid?.() ?? 'user'}`));
  return dirs;
}

/**
 * CommonJS source of `loadTypescript(path, dirs)`, evaluated inside the parse
 * check's worker (parseCheckWorker.ts): it loads TypeScript from `path` and
 * returns `{ ts, cache, save }`. On Node with `module.enableCompileCache`
 * (>= 22.1) that cache is used and this one is off. Otherwise the module is
 * compiled through `vm.Script` with the cached data of an earlier run, if a
 * cache file matches: its name holds the Node version, architecture and a
 * hash of TypeScript's bytes and path; its first 32 bytes are the SHA-256 of
 * the rest (V8 checks its own version, flags and the data's length, not the
 * data itself in a release build, so a damaged file must not reach it).
 * `save()` writes the cache after the check has parsed (V8 then includes the
 * functions compiled during the parse) when this run found none, or a
 * damaged or rejected one: a temporary file renamed into place, so a reader
 * never sees half a file. Any failure (unreadable, corrupt, unwritable) falls
 * back to compiling as usual; the cache never fails a run. The same module
 * code runs either way, so the check's findings are the same.
 * `cache` says what the load found: 'off', 'compile-cache' (Node's),
 * 'missing', 'corrupt' (checksum), 'rejected' (by V8), 'accepted'; `save()`
 * returns whether it wrote a new cache file.
 */
export const LOAD_TYPESCRIPT_SOURCE = `
function loadTypescript(path, dirs) {
  const Module = require('node:module');
  if (Module.enableCompileCache) {
    Module.enableCompileCache();
    return { ts: require(path), cache: 'compile-cache', save: () => false };
  }
  if (dirs.length > 0) {
    try {
      return loadTypescriptCached(path, dirs, Module);
    } catch {}
  }
  return { ts: require(path), cache: 'off', save: () => false };
}

function loadTypescriptCached(path, dirs, Module) {
  const fs = require('node:fs');
  const { join, dirname } = require('node:path');
  const sha256 = (...parts) => { const hash = require('node:crypto').createHash('sha256'); for (const part of parts) hash.update(part); return hash.digest(); };
  const bytes = fs.readFileSync(path);
  // The bytes, not the decoded string: hashing a 9 MB string re-encodes it first.
  const name = 'typescript-' + sha256(bytes, path).toString('hex').slice(0, 24) + '-node' + process.version + '-' + process.arch + '.v8cache';
  // As Node's CommonJS loader compiles it (a byte order mark is dropped).
  const source = bytes.toString('utf8').replace(/^\\uFEFF/, '');
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
  const script = new (require('node:vm').Script)(Module.wrap(source), { filename: path, cachedData });
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
      const temporary = join(dir, name + '.' + process.pid + '-' + require('node:worker_threads').threadId + '.tmp');
      try {
        fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
        fs.writeFileSync(temporary, stored, { mode: 0o600 });
        fs.renameSync(temporary, join(dir, name));
        // This Node's caches of another TypeScript (or path) are dead weight; other Node versions' are kept.
        const suffix = name.slice(name.indexOf('-node'));
        for (const other of fs.readdirSync(dir)) {
          if (other !== name && other.startsWith('typescript-') && other.endsWith(suffix)) fs.rmSync(join(dir, other), { force: true });
        }
        return true;
      } catch {
        try { fs.rmSync(temporary, { force: true }); } catch {}
      }
    }
    return false;
  };
  return { ts: module.exports, cache, save };
}
`;
