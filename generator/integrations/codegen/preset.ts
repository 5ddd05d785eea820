import { isAbsolute, relative, resolve } from 'node:path';
import type { Types } from '@graphql-codegen/plugin-helpers';
import { resolveConfig } from '../../config';
import { DiagnosticsError } from '../../diagnostics';
import { diskPath, shownPath } from '../../emit/compare';
import { inventoryOutput, ownershipDiagnostics } from '../../emit/ownership';
import { runPipelineAsync } from '../../pipeline';
import { sdlSourceFiles } from './sdlSources';

/** `presetConfig` of a `generates` entry using the trackhub-sync preset. */
export interface TrackhubSyncPresetConfig {
  /** trackhub-sync config file (relative to the working directory); default: looked up like the CLI does. */
  config?: string;
  /** Generate beside files trackhub-sync did not write in the output folder (as `generate --allow-foreign`). Default false. */
  allowForeign?: boolean;
}

/**
 * graphql-codegen preset: `generates: { 'generated/': { preset } }` writes the
 * same tree as `trackhub-sync generate --schema <sdl> --out generated`.
 *
 * A codegen plugin emits one file per `generates` entry, but trackhub-sync
 * emits a tree, so this is a preset: it runs the pipeline once and returns one
 * output per generated file, each drawn by a plugin that returns the file's
 * exact bytes. Unlike `trackhub-sync generate`, codegen never deletes files,
 * so files trackhub-sync stops generating stay until removed (`generate --check`
 * lists them).
 */
export const preset: Types.OutputPreset<TrackhubSyncPresetConfig> = {
  buildGeneratesSection: async (options) => {
    const cwd = process.cwd();
    const schemaFiles = sdlSourceFiles(options.schema, options.schemaAst);
    if (schemaFiles.length === 0) {
      throw new Error(
        'trackhub-sync preset: no SDL file found in the loaded schema. Point codegen `schema` at .graphql files (an introspection result or URL carries no annotations).',
      );
    }
    const config = await resolveConfig(
      { config: options.presetConfig.config, schema: schemaFiles.map((f) => resolve(cwd, f)), out: options.baseOutputDir },
      cwd,
    );
    const { files } = await runPipelineAsync(config);
    const refused = ownershipDiagnostics(
      inventoryOutput(files, config.out),
      shownPath(config.baseDir, config.out),
      options.presetConfig.allowForeign ?? false,
    );
    if (refused.length > 0) throw new DiagnosticsError(refused);
    return files.map((file) => {
      const path = diskPath(file, config.out, config.baseDir);
      const pluginName = `trackhub-sync:${file.path}`;
      return {
        filename: isAbsolute(options.baseOutputDir) ? path : relative(cwd, path),
        plugins: [{ [pluginName]: {} }],
        pluginMap: { [pluginName]: { plugin: () => file.contents } },
        schema: options.schema,
        schemaAst: options.schemaAst,
        documents: [],
        config: {},
      };
    });
  },
};

export default preset;
