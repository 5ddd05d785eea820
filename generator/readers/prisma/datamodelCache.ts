import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { codeCacheDirs } from '../../emit/codeCache';
import { removeDeadRunFiles } from '../../emit/deadRuns';

/**
 * Prisma's schema engine answers `get_datamodel` with a pure function of its
 * own version and the request (every file's path and text). On an unchanged
 * 200-model schema loading the engine and asking it is ≈ 160 ms of a
 * re-generate (docs/PERFORMANCE.md "Generate"), so its answer is kept in the
 * code cache's folders (README "Generate: the code cache", same
 * `TRACKHUB_SYNC_CACHE` setting) and the engine is not even loaded when the
 * request was answered before.
 *
 * Only answers are kept: a schema the engine refuses is asked again every
 * run (its errors come from the engine). A file holds the key (a hash of the
 * engine's version and the request) on its first line and the answer after
 * it; a file whose first line is not its key, or whose answer does not parse,
 * is asked again and replaced. The newest `KEPT` answers are kept per folder.
 */

const PREFIX = 'prisma-datamodel-';
const KEPT = 16;

/** The engine module, loaded on the first miss only (its WebAssembly compile is ≈ 40 ms). */
const requireHere = createRequire(import.meta.url);
const ENGINE = '@prisma/prisma-schema-wasm';
type Engine = { get_datamodel(params: string): string };
let engine: Engine | undefined;
const loadEngine = (): Engine => (engine ??= requireHere(ENGINE) as Engine);

/** Where answers are kept: beside the engine's node_modules, else the per-user temporary folder; [] when off. */
export function datamodelCacheDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  return codeCacheDirs(requireHere.resolve(ENGINE), env);
}

function engineVersion(): string {
  return (requireHere(`${ENGINE}/package.json`) as { version: string }).version;
}

/** The engine's `get_datamodel` answer to `params`, parsed, from the cache when it holds it. Throws what the engine throws. */
export function getDatamodel(
  params: string,
  dirs: readonly string[] = datamodelCacheDirs(),
  ask = (p: string) => loadEngine().get_datamodel(p),
): unknown {
  if (dirs.length === 0) return JSON.parse(ask(params));
  const key = createHash('sha256').update(engineVersion()).update('\0').update(params).digest('hex');
  const name = `${PREFIX}${key.slice(0, 32)}.json`;
  for (const dir of dirs) {
    const kept = readKept(join(dir, name), key);
    if (kept !== undefined) return kept;
  }
  const answer = ask(params);
  const parsed: unknown = JSON.parse(answer);
  for (const dir of dirs) if (keep(dir, name, key, answer)) break;
  return parsed;
}

/** The answer in `file`, parsed, when it is this user's, not writable by others, holds `key` and parses; else undefined. */
function readKept(file: string, key: string): unknown {
  try {
    const stat = statSync(file);
    if (typeof process.getuid === 'function' && (stat.uid !== process.getuid() || (stat.mode & 0o022) !== 0)) return undefined;
    const text = readFileSync(file, 'utf8');
    const newline = text.indexOf('\n');
    if (newline < 0 || text.slice(0, newline) !== key) return undefined;
    const answer: unknown = JSON.parse(text.slice(newline + 1));
    // Kept the longest: the answers still asked for (the eviction below goes by time).
    const now = new Date();
    utimesSync(file, now, now);
    return answer;
  } catch {
    return undefined;
  }
}

const TEMPORARY = new RegExp(`^${PREFIX}[0-9a-f]+\\.json\\.(\\d+)-\\d+\\.tmp$`);

/** Writes the answer through a temporary file renamed into place; drops the oldest answers beyond `KEPT`. Never fails a run. */
function keep(dir: string, name: string, key: string, answer: string): boolean {
  const temporary = join(dir, `${name}.${process.pid}-${threadId}.tmp`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    removeDeadRunFiles(dir, (entry) => TEMPORARY.exec(entry)?.[1]);
    writeFileSync(temporary, `${key}\n${answer}`, { mode: 0o600 });
    renameSync(temporary, join(dir, name));
  } catch {
    try {
      rmSync(temporary, { force: true });
    } catch {}
    return false;
  }
  try {
    dropOldest(dir);
  } catch {}
  return true;
}

/** Removes all but the `KEPT` most recently used answers (another run may be removing them too). */
function dropOldest(dir: string): void {
  const answers: { entry: string; time: number }[] = [];
  for (const entry of readdirSync(dir)) {
    if (!entry.startsWith(PREFIX) || !entry.endsWith('.json')) continue;
    try {
      answers.push({ entry, time: statSync(join(dir, entry)).mtimeMs });
    } catch {}
  }
  answers.sort((a, b) => b.time - a.time);
  for (const { entry } of answers.slice(KEPT)) rmSync(join(dir, entry), { force: true });
}
