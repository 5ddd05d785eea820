import { relative } from 'node:path';
import { resolveConfig, type CliOverrides } from '../config';
import { DiagnosticsError, type Diagnostic } from '../diagnostics';
import type { GeneratedFile } from '../emit/generatedFile';
import { compareTree, counted, type SameOnDisk } from '../emit/compare';
import { defaultRenderCache } from '../emit/renderCache';
import { rememberRun } from '../emit/runHint';
import { stageOutput, type StagedOutput } from '../emit/write';
import { changeTarget } from '../ir/diff';
import { runPipelineAsync } from '../pipeline';
import type { TerminalIo } from './output';
import { printDiagnostics, reportBadInput } from './report';

export interface GenerateFlags extends CliOverrides {
  check?: boolean;
  dryRun?: boolean;
  json?: boolean;
  /** Generate beside files trackhub-sync did not write in the output folder (never replacing or deleting them). */
  allowForeign?: boolean;
}

/** Exit codes (README "Command line"). */
export const ExitCode = { ok: 0, stale: 1, badInput: 2 } as const;

export interface CommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
}

/** `trackhub-sync generate`: returns the exit code; prints a summary or a report. */
export async function generateCommand(flags: GenerateFlags, io: CommandIo & TerminalIo): Promise<number> {
  let warnings: Diagnostic[] = [];
  // The new files are staged beside the output while the parse check runs, and put in place
  // only once it passed (emit/write.ts stageOutput); discarded on any other outcome.
  const staging: { output?: StagedOutput } = {};
  const renderCache = defaultRenderCache();
  // Whether this run parsed nothing (every file unchanged): the bin's hint for the next run here (emit/runHint.ts).
  let parsedNothing = false;
  try {
    const config = await resolveConfig(flags, io.cwd);
    const stage = (files: readonly GeneratedFile[], sameOnDisk: SameOnDisk) =>
      stageOutput(files, config.out, config.baseDir, { allowForeign: flags.allowForeign, sameOnDisk });
    const write = !(flags.check || flags.dryRun);
    const result = await runPipelineAsync(config, {
      renderCache,
      ...(write ? { whileChecking: (files: readonly GeneratedFile[], sameOnDisk: SameOnDisk) => (staging.output = stage(files, sameOnDisk)) } : {}),
    });
    warnings = result.warnings;
    parsedNothing = result.parsed === 0;
    const out = relative(io.cwd, config.out) || '.';
    if (flags.check || flags.dryRun) {
      const cmp = compareTree(result.files, config.out, config.baseDir, { allowForeign: flags.allowForeign, sameOnDisk: result.sameOnDisk });
      const upToDate = cmp.stale.length + cmp.missing.length + cmp.orphans.length === 0;
      if (flags.json) {
        io.stdout(
          JSON.stringify(
            {
              status: upToDate ? 'up-to-date' : 'stale',
              out,
              stale: cmp.stale,
              missing: cmp.missing,
              orphans: cmp.orphans,
              foreign: cmp.foreign,
              unchanged: cmp.unchanged.length,
              warnings,
            },
            null,
            2,
          ),
        );
      } else {
        printDiagnostics(warnings, io);
        if (!upToDate) io.stdout(cmp.diff);
        io.stdout(
          upToDate
            ? `${out}: ${result.files.filter(counted).length} files up to date`
            : `${out}: ${cmp.stale.length} stale, ${cmp.missing.length} missing, ${cmp.orphans.length} orphan file(s)` +
                (flags.check ? ' — run `trackhub-sync generate`' : ' (dry run: nothing written)'),
        );
      }
      return flags.check && !upToDate ? ExitCode.stale : ExitCode.ok;
    }
    staging.output ??= stage(result.files, result.sameOnDisk);
    const summary = staging.output.apply();
    const moved = result.movedSnapshots;
    if (flags.json) {
      io.stdout(JSON.stringify({ status: 'written', out, ...summary, movedSnapshots: moved, warnings, migration: result.migration }, null, 2));
    } else {
      printDiagnostics(warnings, io);
      io.stdout(
        `${out}: ${summary.written.length} written, ${summary.unchanged.length} unchanged` +
          (summary.removed.length ? `, ${summary.removed.length} removed` : ''),
      );
      if (moved.length > 0) {
        const history = relative(io.cwd, config.migrations.history) || '.';
        io.stdout(`migration history: moved ${moved.length} snapshot(s) from ${out}/snapshots/ to ${history}/ (commit it; see README "Migrations")`);
      }
      if (result.migration?.changes.length) {
        const steps = result.migration.changes.map((c) => `${c.kind} ${changeTarget(c)}`).join(', ');
        io.stdout(`local schema: version ${result.migration.schemaVersion}, new migration step: ${steps}`);
      }
    }
    return ExitCode.ok;
  } catch (error) {
    if (!(error instanceof DiagnosticsError)) throw error;
    const all = [...warnings, ...error.diagnostics];
    const errors = all.filter((d) => d.severity === 'error').length;
    return reportBadInput(all, flags.json, io, `${errors} error(s); nothing written.`);
  } finally {
    staging.output?.discard();
    rememberRun(renderCache.dirs, io.cwd, parsedNothing);
  }
}
