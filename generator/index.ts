/** Programmatic API: the same pipeline the CLI runs. */
export { defineConfig, resolveConfig, type ConfigInput, type ResolvedConfig } from './config';
export { DiagnosticsError, formatDiagnostic, type Diagnostic } from './diagnostics';
export type { GeneratedFile } from './emit/generatedFile';
export { compareTree } from './emit/compare';
export { writeOutput } from './emit/write';
export type { Ir, IrEntity, IrField, IrRelation } from './ir/types';
export { loadIr, runPipeline, runPipelineAsync } from './pipeline';
