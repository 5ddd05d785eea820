import { dirname, isAbsolute, resolve } from 'node:path';
import type { GeneratorOptions } from '@prisma/generator-helper';
import { resolveConfig } from '../../config';
import { writeOutput, type WriteSummary } from '../../emit/write';
import { runPipeline } from '../../pipeline';

/** Output folder when the generator block names none (relative to the schema file, like Prisma's own). */
export const DEFAULT_PRISMA_OUTPUT = '../generated';

/**
 * `prisma generate` → trackhub-sync. A thin adapter: the schema Prisma is
 * generating becomes `--schema`, the block's `output` becomes `--out`, and an
 * optional `config = "…"` (relative to the schema file) becomes `--config`;
 * otherwise the config file is looked up in the working directory, as the CLI
 * does. The same pipeline and the same writer run, so the files are the CLI's.
 *
 * The schema is re-read from disk by our own reader (not Prisma's DMMF) so that
 * annotations and diagnostics keep their `file:line:column`.
 */
export async function prismaGenerate(options: GeneratorOptions, cwd = process.cwd()): Promise<WriteSummary> {
  const schemaDir = dirname(options.schemaPath);
  const configValue = options.generator.config['config'];
  if (Array.isArray(configValue)) throw new Error('trackhub-sync generator: `config` takes one path.');
  const output = options.generator.output?.value ?? resolve(schemaDir, DEFAULT_PRISMA_OUTPUT);
  const config = await resolveConfig(
    {
      config: configValue ? (isAbsolute(configValue) ? configValue : resolve(schemaDir, configValue)) : undefined,
      schema: [options.schemaPath],
      out: output,
    },
    cwd,
  );
  const result = runPipeline(config);
  return writeOutput(result.files, config.out, config.baseDir);
}
