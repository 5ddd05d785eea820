import type { ResolvedConfig } from './config';
import { DiagnosticsError, hasErrors, type Diagnostic } from './diagnostics';
import type { GeneratedFile } from './emit/generatedFile';
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
import { readDeclaredVersion, readSnapshotFiles } from './targets/watermelon/migrations/readSnapshotFiles';

export interface PipelineResult {
  ir: Ir;
  /** Every file of the output, sorted by path: what `generate` writes and `--check` compares. */
  files: GeneratedFile[];
  /** Warnings worth printing (errors throw). */
  warnings: Diagnostic[];
  /** Local schema version and the changes of the step this run adds (none: empty); null without the WatermelonDB target. */
  migration: { schemaVersion: number; changes: SchemaChange[] } | null;
}

/** Read the inputs and build the validated IR; throws DiagnosticsError on bad input. */
export function loadIr(config: ResolvedConfig): { ir: Ir; warnings: Diagnostic[] } {
  const facts = readInputs(config.schema, config.baseDir, { scalars: config.scalars, keySuffix: config.relationKeySuffix });
  const { ir, diagnostics } = buildIr(facts);
  if (hasErrors(diagnostics)) throw new DiagnosticsError(diagnostics);
  return { ir, warnings: diagnostics };
}

/** read -> IR -> validate -> targets -> format. Touches no output file. */
export function runPipeline(config: ResolvedConfig): PipelineResult {
  const { ir, warnings } = loadIr(config);
  const files: GeneratedFile[] = [];
  let migration: PipelineResult['migration'] = null;
  // Local migrations: diff the IR against the committed snapshot chain (read from the output folder).
  const migrationInput = {
    ir,
    options: config.migrations,
    snapshots: readSnapshotFiles(config.out),
    declaredVersion: readDeclaredVersion(config.out),
    shownOut: displayPath(config.baseDir, config.out),
  };
  if (config.targets.watermelon) {
    const plan = planMigrations(migrationInput);
    warnings.push(...plan.warnings);
    migration = { schemaVersion: plan.schemaVersion, changes: plan.changes };
    files.push(...generateWatermelon({ ir, config, schemaVersion: plan.schemaVersion, migrationsSource: plan.migrationsSource }));
    files.push(...plan.files);
  } else {
    files.push(...keepSnapshots(migrationInput));
  }
  if (config.targets.client) files.push(...generateClient({ ir, config }));
  if (config.targets.server) files.push(...generateServer({ ir, config }));
  if (config.targets.proto && config.proto.files.length > 0) {
    // The proto target edits the user's .proto files and keeps sync.proto's numbers from the output folder.
    const protos = readProtoInputs(config.proto.files, config.baseDir, config.out);
    files.push(...generateProto({ ir, config, protos, previousSyncProto: readPreviousSyncProto(config.out, config.proto.package) }));
  }
  files.sort((a, b) => a.path.localeCompare(b.path));
  return { ir, files, warnings, migration };
}
