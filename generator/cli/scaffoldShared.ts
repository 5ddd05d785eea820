import { relative } from 'node:path';
import { resolveConfig, type ResolvedConfig } from '../config';
import { DiagnosticsError } from '../diagnostics';
import { detectProject, type ProjectSchema } from '../scaffold/project';
import type { FileChange } from '../scaffold/userFiles';
import type { CommandIo } from './generateCommand';
import type { Paint, TerminalIo } from './output';

export type Io = CommandIo & TerminalIo;

/** The config when there is one (or `--schema` was given); null when neither exists. */
export async function optionalConfig(flags: { config?: string; schema?: string[] }, cwd: string): Promise<ResolvedConfig | null> {
  try {
    return await resolveConfig(flags, cwd);
  } catch (error) {
    // "no schema given" (TS200 at <flags>) just means: no config yet; any other config error is real.
    if (error instanceof DiagnosticsError && !flags.config && error.diagnostics.every((d) => d.file === '<flags>')) return null;
    throw error;
  }
}

/** The schema input a scaffolding command edits: `--schema`, else the config's first input, else detection. */
export function pickProject(config: ResolvedConfig | null, explicit: string | undefined, cwd: string): ProjectSchema {
  if (explicit) return detectProject(cwd, explicit);
  const first = config?.schema.find((p) => !/\.(graphql|gql)$/.test(p)) ?? config?.schema[0];
  return first ? detectProject(cwd, first) : detectProject(cwd);
}

/** One line per planned change: `created`, `edited` or `kept`. */
export function describeChanges(changes: readonly FileChange[], cwd: string, p: Paint): string[] {
  return changes.map((c) => {
    const path = relative(cwd, c.path) || c.path;
    switch (c.kind) {
      case 'create':
        return `  ${p.green('created')} ${path}`;
      case 'edit':
        return `  ${p.cyan('edited')}  ${path}`;
      default:
        return `  ${p.dim('kept')}    ${path} ${p.dim(`(${c.reason})`)}`;
    }
  });
}

export function changesJson(changes: readonly FileChange[], cwd: string): { path: string; action: FileChange['kind'] }[] {
  return changes.map((c) => ({ path: relative(cwd, c.path) || c.path, action: c.kind }));
}
