import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResolvedConfig } from './config';
import { DiagnosticCode, DiagnosticsError, hasErrors, type Diagnostic } from './diagnostics';
import { diskPath, type SameOnDisk } from './emit/compare';
import type { GeneratedFile } from './emit/generatedFile';
import { MANIFEST_PATH, manifestFile } from './emit/manifest';
import { parseCheck, startParseCheck, type ParseCheck } from './emit/parseCheck';
import { defaultRenderCache, keepRun, keptRun, renderKey, type RenderCache } from './emit/renderCache';
import { buildIr } from './ir/build';
import type { SchemaChange } from './ir/diff';
import type { Ir } from './ir/types';
import type { SchemaFacts } from './readers/facts';
import { displayPath, readInputs } from './readers/readInputs';
import { readProtoInputs } from './readers/proto/readProtoInputs';
import { readPreviousSyncProto, type PreviousSyncProto } from './readers/proto/readPreviousSyncProto';
import { generateClient, validateClient } from './targets/client/generate';
import { generateProto, validateProto, type ProtoContext } from './targets/proto/generate';
import { generateServer, validateServer } from './targets/server/generate';
import { generateWatermelon, validateWatermelon } from './targets/watermelon/index';
import { keepSnapshots, planMigrations } from './targets/watermelon/migrations/planMigrations';
import { readHistory } from './targets/watermelon/migrations/history';

export interface PipelineResult {
  ir: Ir;
  /**
   * Every file of the output, sorted by path, then the output folder's
   * manifest: what `generate` writes and `--check` compares. Includes the
   * migration history's snapshots (`history`), committed and new.
   */
  files: GeneratedFile[];
  /** Warnings worth printing (errors throw). */
  warnings: Diagnostic[];
  /** Local schema version and the changes of the step this run adds (none: empty); null without the WatermelonDB target. */
  migration: { schemaVersion: number; changes: SchemaChange[] } | null;
  /** Output paths of an earlier release's snapshots (`snapshots/0001.json`) this run moves to the history folder. */
  movedSnapshots: string[];
  /**
   * Disk paths of the files the pipeline found on disk exactly as generated
   * (the `.ts` files read back to decide what to parse; every rendered file
   * when rendering was kept, emit/renderCache.ts): staging and `--check` take
   * them as unchanged instead of reading them again.
   */
  sameOnDisk: SameOnDisk;
  /**
   * Whether this is an earlier run's answer, kept (emit/renderCache.ts):
   * every file was found on disk as that run made it, nothing was rendered.
   */
  kept: boolean;
  /** How many generated files this run parsed (new or changed `.ts` files; none for a kept run). */
  parsed: number;
}

/** Where runs are kept for later runs (emit/renderCache.ts); the bin's own folders by default, nothing from the sources. */
export interface PipelineOptions {
  renderCache?: RenderCache;
}

/** A pipeline's result, and what keeps it for later runs once the parse check passed (null: nothing to keep). */
interface Rendered {
  result: PipelineResult;
  keep: (() => void) | null;
}

/** Read the inputs and build the validated IR; throws DiagnosticsError on bad input. */
export function loadIr(config: ResolvedConfig): { ir: Ir; warnings: Diagnostic[] } {
  const facts = readInputs(config.schema, config.baseDir, { scalars: config.scalars, keySuffix: config.relationKeySuffix });
  const { ir, diagnostics } = buildIr(facts, { baseFields: config.baseFields });
  if (hasErrors(diagnostics)) throw new DiagnosticsError(diagnostics);
  return { ir, warnings: diagnostics };
}

/**
 * read -> IR -> every target validates -> targets generate -> parse. Touches
 * no output file. The diagnostics of the IR and of every enabled target are
 * collected first, so one run reports every problem; any error throws
 * DiagnosticsError with all of them (warnings included) and nothing is generated.
 */
export function runPipeline(config: ResolvedConfig, options: PipelineOptions = {}): PipelineResult {
  const rendered: GeneratedFile[] = [];
  const { result, keep } = renderPipeline(config, (files) => rendered.push(...files), options);
  const broken = parseCheck(rendered);
  if (broken.length > 0) throw new DiagnosticsError(byFile(broken));
  keep?.();
  return result;
}

/**
 * `runPipeline` with the parse check in a worker thread, fed each target's
 * files as they are rendered (generator/emit/parseCheck.ts startParseCheck):
 * the same result and the same diagnostics, sooner on a machine with a
 * second core. What the CLI and the integrations run.
 *
 * `whileChecking` receives every file once rendering is done, while the check
 * still runs: `generate` stages its writes there (emit/write.ts stageOutput),
 * which must change nothing a failed check would leave behind. It must not
 * throw.
 */
export async function runPipelineAsync(
  config: ResolvedConfig,
  options: PipelineOptions & { whileChecking?: (files: readonly GeneratedFile[], sameOnDisk: SameOnDisk) => void } = {},
): Promise<PipelineResult> {
  // Into an output folder without a manifest (a first run, a fresh checkout) every file is new,
  // so the worker starts loading TypeScript now; otherwise at the first changed file, if any.
  const check = startParseCheck({ eager: !existsSync(join(config.out, MANIFEST_PATH)) });
  let rendered: Rendered;
  try {
    rendered = renderPipeline(config, (files) => check.add(files), options);
  } catch (error) {
    check.cancel();
    throw error;
  }
  const { result, keep } = rendered;
  options.whileChecking?.(result.files, result.sameOnDisk);
  const broken = await check.result();
  if (broken.length > 0) throw new DiagnosticsError(byFile(broken));
  keep?.();
  return result;
}

/** Parse errors in the order of the files (the check sees them target by target), each file's in line order. */
function byFile(diagnostics: Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) => a.file.localeCompare(b.file));
}

/** What a run reads from disk; everything after it is a pure function of these and the config. */
interface PipelineInputs {
  facts: SchemaFacts[];
  history: ReturnType<typeof readHistory>;
  /** The `.proto` inputs and the `sync.proto` of the last run; null when the proto target has no input. */
  proto: { inputs: ReturnType<typeof readProtoInputs>; previousSyncProto: PreviousSyncProto | null } | null;
}

function readPipelineInputs(config: ResolvedConfig): PipelineInputs {
  const facts = readInputs(config.schema, config.baseDir, { scalars: config.scalars, keySuffix: config.relationKeySuffix });
  // Local migrations: the IR is diffed against the migration history, an input beside the config (README "Migrations").
  const history = readHistory(config.migrations.history, config.out, config.baseDir);
  // The proto target edits the user's .proto files and keeps sync.proto's numbers from the output folder.
  const proto =
    config.targets.proto && config.proto.files.length > 0
      ? {
          inputs: readProtoInputs(config.proto.files, config.baseDir, config.out),
          previousSyncProto: readPreviousSyncProto(config.out, config.proto.package),
        }
      : null;
  return { facts, history, proto };
}

/**
 * Everything but the parse check; `toCheck` receives the generated files that
 * need it (new or changed), target by target. A run whose inputs and output
 * are as an earlier successful run left them is not run again: its answer is
 * kept (emit/renderCache.ts), with the IR built only if asked for.
 */
function renderPipeline(config: ResolvedConfig, toCheck: ParseCheck['add'], options: PipelineOptions): Rendered {
  const inputs = readPipelineInputs(config);
  const cache = options.renderCache ?? defaultRenderCache();
  const key = renderKey(cache, { config, facts: inputs.facts, history: inputs.history, proto: inputs.proto });
  const kept = key === null ? null : keptRun(cache, key, config);
  if (kept) {
    const same = new Set(kept.files.map((file) => diskPath(file, config.out, config.baseDir)));
    const result = { ...kept, movedSnapshots: inputs.history.history.moved, sameOnDisk: same, kept: true, parsed: 0 };
    return { result: withIr(result, () => buildIr(inputs.facts, { baseFields: config.baseFields }).ir), keep: null };
  }
  const result = generateFrom(config, inputs, toCheck);
  return { result, keep: key === null ? null : () => keepRun(cache, key, result) };
}

/** The result with its IR built at the first reading of `ir` (a kept run needs none). */
function withIr(result: Omit<PipelineResult, 'ir'>, build: () => Ir): PipelineResult {
  let ir: Ir | undefined;
  return Object.defineProperty(result, 'ir', { get: () => (ir ??= build()), enumerable: true }) as PipelineResult;
}

/** read inputs -> IR -> every target validates -> targets generate. */
function generateFrom(config: ResolvedConfig, inputs: PipelineInputs, toCheck: ParseCheck['add']): PipelineResult {
  const { ir, diagnostics } = buildIr(inputs.facts, { baseFields: config.baseFields });
  const irValid = !hasErrors(diagnostics);

  // Local migrations: diff the IR against the migration history; its new snapshot is a file to write.
  const { history, diagnostics: historyProblems } = inputs.history;
  diagnostics.push(...historyProblems);
  const migrationInput = { ir, options: config.migrations, snapshots: history.files, shownHistory: history.shown, declared: history.declared };
  const inHistory = (file: GeneratedFile): GeneratedFile => ({
    path: `${displayPath(config.baseDir, config.migrations.history)}/${file.path}`,
    contents: file.contents,
    history: true,
  });
  const watermelon = config.targets.watermelon;
  // The client registry describes the same local tables, so their rules apply to it too.
  if (watermelon || config.targets.client) diagnostics.push(...validateWatermelon(ir));
  // Diffing an IR that failed to build (or a history that could not be read) would report its gaps as destructive changes.
  const historyValid = !hasErrors(historyProblems);
  const plan = watermelon && irValid && historyValid ? planMigrations(migrationInput) : null;
  const kept = !watermelon && historyValid ? keepSnapshots(migrationInput) : null;
  diagnostics.push(...(plan?.diagnostics ?? []), ...(kept?.diagnostics ?? []));
  if (config.targets.client) diagnostics.push(...validateClient({ ir, config }));
  if (config.targets.server) {
    // A name already refused as one no target can carry (TS118) is not reported again as a GraphQL clash (TS121).
    const at = (d: Diagnostic) => `${d.file}:${d.line}:${d.column}`;
    const refusedNames = new Set(diagnostics.filter((d) => d.code === DiagnosticCode.reservedName).map(at));
    diagnostics.push(...validateServer({ ir, config }).filter((d) => !(d.code === DiagnosticCode.graphqlNameClash && refusedNames.has(at(d)))));
  }
  let proto: ProtoContext | null = null;
  if (inputs.proto) {
    diagnostics.push(...inputs.proto.inputs.diagnostics);
    proto = { ir, config, protos: inputs.proto.inputs.facts, previousSyncProto: inputs.proto.previousSyncProto };
    diagnostics.push(...validateProto(proto));
  }
  if (hasErrors(diagnostics)) throw new DiagnosticsError(diagnostics);

  // A generated file that does not parse is a bug: report it, write nothing. Bytes already on
  // disk were checked when they were written, so only new or changed files are parsed (and
  // TypeScript, ~0.4 s to load, is loaded only when there are some).
  const files: GeneratedFile[] = [];
  // The paths of the files found unchanged: all staging and `--check` need of what was read.
  const same = new Set<string>();
  let parsed = 0;
  const add = (generated: GeneratedFile[]) => {
    files.push(...generated);
    const changed = generated.filter((f) => f.path.endsWith('.ts') && !sameOnDisk(f, config, same));
    parsed += changed.length;
    toCheck(changed);
  };
  if (plan) {
    add(generateWatermelon({ ir, config, schemaVersion: plan.schemaVersion, migrationsSource: plan.migrationsSource }));
    add(plan.files.map(inHistory));
  }
  if (kept) add(kept.files.map(inHistory));
  if (config.targets.client) add(generateClient({ ir, config }));
  if (config.targets.server) add(generateServer({ ir, config }));
  if (proto) add(generateProto(proto));
  files.sort((a, b) => a.path.localeCompare(b.path));
  add([manifestFile(files)]);
  return {
    ir,
    files,
    warnings: diagnostics,
    migration: plan ? { schemaVersion: plan.schemaVersion, changes: plan.changes } : null,
    movedSnapshots: history.moved,
    sameOnDisk: same,
    kept: false,
    parsed,
  };
}

/** Whether the file's bytes on disk are the generated ones; if so, its disk path goes into `same`. */
function sameOnDisk(file: GeneratedFile, config: Pick<ResolvedConfig, 'out' | 'baseDir'>, same: Set<string>): boolean {
  const path = diskPath(file, config.out, config.baseDir);
  try {
    if (readFileSync(path, 'utf8') !== file.contents) return false;
  } catch {
    return false;
  }
  same.add(path);
  return true;
}
