import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { codeCacheDirs } from '../../emit/codeCache';
import { keptAnswers } from '../../emit/keptAnswers';

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
 * run (its errors come from the engine). The key is a hash of the engine's
 * version and the request; an answer that does not parse is asked again and
 * replaced (emit/keptAnswers.ts: the files, their checks, the 16 kept).
 */

const PREFIX = 'prisma-datamodel-';

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
  const answers = keptAnswers<unknown>(dirs, PREFIX, parsedJson);
  const key = createHash('sha256').update(engineVersion()).update('\0').update(params).digest('hex');
  const kept = answers.read(key);
  if (kept !== undefined) return kept;
  const answer = ask(params);
  const parsed: unknown = JSON.parse(answer);
  answers.keep(key, answer);
  return parsed;
}

function parsedJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
