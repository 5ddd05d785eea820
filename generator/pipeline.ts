import type { ResolvedConfig } from './config';
import { DiagnosticsError, hasErrors, type Diagnostic } from './diagnostics';
import type { GeneratedFile } from './emit/generatedFile';
import { buildIr } from './ir/build';
import type { Ir } from './ir/types';
import { readInputs } from './readers/readInputs';
import { generateWatermelon } from './targets/watermelon/generate';

export interface PipelineResult {
  ir: Ir;
  /** Every file of the output, sorted by path: what `generate` writes and `--check` compares. */
  files: GeneratedFile[];
  /** Warnings worth printing (errors throw). */
  warnings: Diagnostic[];
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
  if (config.targets.watermelon) files.push(...generateWatermelon({ ir, config, schemaVersion: 1 }));
  files.sort((a, b) => a.path.localeCompare(b.path));
  return { ir, files, warnings };
}
