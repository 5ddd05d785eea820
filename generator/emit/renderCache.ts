import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { BUILD_ID } from './buildId';
import { codeCacheDirs } from './codeCache';
import { diskPath } from './compare';
import type { Diagnostic } from '../diagnostics';
import type { SchemaChange } from '../ir/diff';
import type { GeneratedFile } from './generatedFile';
import { keptAnswers } from './keptAnswers';

/**
 * A run's output kept between runs (README "Generate: the code cache",
 * docs/PERFORMANCE.md "Generate"). Everything after reading is a pure
 * function of what was read (generatedFile.ts `Target`: no disk, no clock,
 * no globals): the schema's facts, the resolved config, the migration
 * history, the `.proto` inputs and the previous `sync.proto`, and of the code
 * that runs: the bundle (its build id), the libraries it loads from
 * node_modules (Handlebars' runtime, protobufjs) and Node itself (string
 * collation). A SHA-256 of all of them is the key; what is kept under it is
 * the run's warnings, its migration step, and each file's path and the
 * SHA-256 of its bytes.
 *
 * A later run with the same key reads every one of those files from disk:
 * when each holds exactly the bytes kept, those bytes are the output, and the
 * IR, the validation, the migration plan and rendering are skipped (on an
 * unchanged 200-model schema, most of a re-generate's time). When any file is
 * missing or differs (an edited generated file, another branch's output, a
 * `--check` whose files were never written), the run goes on as without the
 * cache. So a kept answer only stands for output it verified on disk, byte
 * for byte: `--check` compares and `generate` writes the same files either
 * way. Only runs that succeeded (no error, every file parsed) are kept.
 *
 * Only the bin's bundle has a build id; elsewhere (sources, the ES module
 * build) nothing is kept. `TRACKHUB_SYNC_CACHE` applies as to the code cache.
 */
export interface RenderCache {
  /** The renderer's identity (buildId.ts); null: nothing is kept. */
  build: string | null;
  /** Where answers are kept, in order; []: nothing is kept. */
  dirs: readonly string[];
}

/** Everything a run read (plain data), as the pipeline hands it on. */
export interface RenderInputs {
  config: unknown;
  facts: unknown;
  history: unknown;
  /** The `.proto` inputs and the previous `sync.proto`; null without the proto target. */
  proto: unknown;
}

/** What a run made: its files, its warnings and its migration step. */
export interface KeptRun {
  files: GeneratedFile[];
  warnings: Diagnostic[];
  migration: { schemaVersion: number; changes: SchemaChange[] } | null;
}

interface KeptFile {
  path: string;
  sha256: string;
  external?: true;
  history?: true;
}

interface Kept extends Omit<KeptRun, 'files'> {
  files: KeptFile[];
}

const PREFIX = 'run-';
const requireHere = createRequire(import.meta.url);

/** The bin's cache: its build id, the code cache's folders beside the package. */
export function defaultRenderCache(env: NodeJS.ProcessEnv = process.env): RenderCache {
  return { build: BUILD_ID, dirs: BUILD_ID === null ? [] : codeCacheDirs(fileURLToPath(import.meta.url), env) };
}

/**
 * The key of a run that read these inputs, or null when nothing is kept
 * (off, or inputs or libraries it cannot describe: the cache never fails a run).
 */
export function renderKey(cache: RenderCache, inputs: RenderInputs): string | null {
  if (cache.build === null || cache.dirs.length === 0) return null;
  try {
    const hash = createHash('sha256').update(`${cache.build}\0${process.version}\0${libraries(inputs.proto !== null)}\0`);
    // `undefined` is spelled out: a target may tell an absent key from one set to undefined.
    hash.update(JSON.stringify(inputs, (_key, value: unknown) => (value === undefined ? UNDEFINED : value)));
    return hash.digest('hex');
  } catch {
    return null;
  }
}

const UNDEFINED = '\0undefined';

/** The versions of the libraries rendering loads from node_modules (protobufjs only for the proto target). */
function libraries(proto: boolean): string {
  return (proto ? ['handlebars', 'protobufjs'] : ['handlebars'])
    .map((name) => `${name}@${(requireHere(`${name}/package.json`) as { version: string }).version}`)
    .join('\0');
}

/**
 * The run kept under `key`, its files' bytes read from disk, when every file
 * is there exactly as kept; null otherwise (nothing kept, a file missing or
 * changed): then the caller runs.
 */
export function keptRun(cache: RenderCache, key: string, place: { out: string; baseDir: string }): KeptRun | null {
  const kept = keptAnswers(cache.dirs, PREFIX, parseKept).read(key);
  if (kept === undefined) return null;
  const files: GeneratedFile[] = [];
  for (const entry of kept.files) {
    const { sha256: expected, ...flags } = entry;
    const file: GeneratedFile = { ...flags, contents: '' };
    let bytes: Buffer;
    try {
      bytes = readFileSync(diskPath(file, place.out, place.baseDir));
    } catch {
      return null;
    }
    if (sha256(bytes) !== expected) return null;
    file.contents = bytes.toString('utf8');
    files.push(file);
  }
  return { files, warnings: kept.warnings, migration: kept.migration };
}

/** Keeps a run's answer under `key` (never fails a run). */
export function keepRun(cache: RenderCache, key: string, run: KeptRun): void {
  const files: KeptFile[] = run.files.map((file) => ({
    path: file.path,
    sha256: sha256(Buffer.from(file.contents, 'utf8')),
    ...(file.external ? { external: true as const } : {}),
    ...(file.history ? { history: true as const } : {}),
  }));
  const kept: Kept = { files, warnings: run.warnings, migration: run.migration };
  keptAnswers(cache.dirs, PREFIX, parseKept).keep(key, JSON.stringify(kept));
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A kept run, or undefined when the text is not one (damaged). */
function parseKept(text: string): Kept | undefined {
  try {
    const parsed = JSON.parse(text) as Partial<Kept> | null;
    if (!Array.isArray(parsed?.files) || !Array.isArray(parsed.warnings) || parsed.migration === undefined) return undefined;
    const flag = (value: unknown) => value === undefined || value === true;
    const valid = parsed.files.every(
      (entry: Partial<KeptFile> | null) =>
        typeof entry?.path === 'string' &&
        typeof entry.sha256 === 'string' &&
        /^[0-9a-f]{64}$/.test(entry.sha256) &&
        flag(entry.external) &&
        flag(entry.history),
    );
    return valid ? (parsed as Kept) : undefined;
  } catch {
    return undefined;
  }
}
