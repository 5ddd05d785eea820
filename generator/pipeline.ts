import type { ResolvedConfig } from './config';
import { DiagnosticsError, hasErrors, type Diagnostic } from './diagnostics';
import type { GeneratedFile } from './emit/generatedFile';
import { manifestFile } from './emit/manifest';
import { buildIr } from './ir/build';
import type { SchemaChange } from './ir/diff';
import type { Ir } from './ir/types';
import { displayPath, readInputs } from './readers/readInputs';
import { readProtoInputs } from './readers/proto/readProtoInputs';
import { readPreviousSyncProto } from './readers/proto/readPreviousSyncProto';
import { generateClient } from './targets/client/generate';
import { generateProto } from './targets/proto/generate';
import { generateServer } from './targets/server/generate';
import { generateWatermelon } from './targets/watermelon/generate';
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
}

/** Read the inputs and build the validated IR; throws DiagnosticsError on bad input. */
export function loadIr(config: ResolvedConfig): { ir: Ir; warnings: Diagnostic[] } {
  const facts = readInputs(config.schema, config.baseDir);
  const { ir, diagnostics } = buildIr(facts);
  if (hasErrors(diagnostics)) throw new DiagnosticsError(diagnostics);
  return { ir, warnings: diagnostics };
}

/** read -> IR -> validate -> targets -> format. Touches no output file. */
export function runPipeline(config: ResolvedConfig): PipelineResult {
  const { ir, warnings } = loadIr(config);
  const files: GeneratedFile[] = [];
  let migration: PipelineResult['migration'] = null;
  // Local migrations: diff the IR against the migration history, an input
  // beside the config (README "Migrations"); its new snapshot is a file to write.
  const { history, diagnostics: historyProblems } = readHistory(config.migrations.history, config.out, config.baseDir);
  if (historyProblems.length > 0) throw new DiagnosticsError(historyProblems);
  const migrationInput = { ir, options: config.migrations, snapshots: history.files, shownHistory: history.shown, declared: history.declared };
  const inHistory = (file: GeneratedFile): GeneratedFile => ({ path: `${displayPath(config.baseDir, config.migrations.history)}/${file.path}`, contents: file.contents, history: true });
  if (config.targets.watermelon) {
    const plan = planMigrations(migrationInput);
    warnings.push(...plan.warnings);
    migration = { schemaVersion: plan.schemaVersion, changes: plan.changes };
    files.push(...generateWatermelon({ ir, config, schemaVersion: plan.schemaVersion, migrationsSource: plan.migrationsSource }));
    files.push(...plan.files.map(inHistory));
  } else {
    files.push(...keepSnapshots(migrationInput).map(inHistory));
  }
  if (config.targets.client) files.push(...generateClient({ ir, config }));
  if (config.targets.server) files.push(...generateServer({ ir, config }));
  if (config.targets.proto && config.proto.files.length > 0) {
    // The proto target edits the user's .proto files and keeps sync.proto's numbers from the output folder.
    const protos = readProtoInputs(config.proto.files, config.baseDir, config.out);
    files.push(...generateProto({ ir, config, protos, previousSyncProto: readPreviousSyncProto(config.out, config.proto.package) }));
  }
  files.sort((a, b) => a.path.localeCompare(b.path));
  files.push(manifestFile(files));
  return { ir, files, warnings, migration, movedSnapshots: history.moved };
}
