import { dirname, isAbsolute, resolve } from 'node:path';
import type { GeneratorOptions } from '@prisma/generator-helper';
import { resolveConfig, type CliOverrides, type ResolvedConfig } from '../../config';
import { DiagnosticsError } from '../../diagnostics';
import { writeOutput, type WriteSummary } from '../../emit/write';
import { runPipelineAsync } from '../../pipeline';

/** Output folder when the generator block names none (relative to the schema file, like Prisma's own). */
export const DEFAULT_PRISMA_OUTPUT = '../generated';

/**
 * `prisma generate` → trackhub-sync. A thin adapter over the CLI's config,
 * pipeline and writer, so the files are the CLI's:
 * - the config file is `config = "…"` of the generator block (relative to the
 *   schema file), else looked up in the working directory as the CLI does;
 * - the inputs are the config's when they include the schema Prisma is
 *   generating (so a config that adds SDL files gives the same tree as
 *   `trackhub-sync generate`), else that schema alone;
 * - the block's `output` is the output folder.
 *
 * The schema is re-read from disk by our own reader (not Prisma's DMMF) so that
 * annotations and diagnostics keep their `file:line:column`.
 */
export async function prismaGenerate(options: GeneratorOptions, cwd = process.cwd()): Promise<WriteSummary> {
  const schemaDir = dirname(options.schemaPath);
  const configValue = options.generator.config['config'];
  if (Array.isArray(configValue)) throw new Error('trackhub-sync generator: `config` takes one path.');
  const flags: CliOverrides = {
    config: configValue ? (isAbsolute(configValue) ? configValue : resolve(schemaDir, configValue)) : undefined,
    out: options.generator.output?.value ?? resolve(schemaDir, DEFAULT_PRISMA_OUTPUT),
  };
  const schemaPath = resolve(cwd, options.schemaPath);
  const fromConfig = await configWithoutSchemaFlag(flags, cwd);
  const config = fromConfig?.schema.includes(schemaPath) ? fromConfig : await resolveConfig({ ...flags, schema: [schemaPath] }, cwd);
  const result = await runPipelineAsync(config);
  return writeOutput(result.files, config.out, config.baseDir, { sameOnDisk: result.sameOnDisk });
}

/** The config as the CLI would resolve it, or null when it names no schema (or there is none). */
async function configWithoutSchemaFlag(flags: CliOverrides, cwd: string): Promise<ResolvedConfig | null> {
  try {
    return await resolveConfig(flags, cwd);
  } catch (error) {
    if (error instanceof DiagnosticsError && error.diagnostics.every((d) => /no schema given/.test(d.message))) return null;
    throw error;
  }
}
