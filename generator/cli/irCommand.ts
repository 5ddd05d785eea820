import { resolveConfig, type CliOverrides } from '../config';
import { DiagnosticsError, formatDiagnostic, sortDiagnostics } from '../diagnostics';
import { loadIr } from '../pipeline';
import { ExitCode, type CommandIo } from './generateCommand';

/** `trackhub-sync ir --json`: print the IR the targets would see. */
export async function irCommand(flags: CliOverrides & { json?: boolean }, io: CommandIo): Promise<number> {
  try {
    const { ir } = loadIr(await resolveConfig(flags, io.cwd));
    io.stdout(
      flags.json
        ? JSON.stringify(ir, null, 2)
        : ir.entities.map((e) => `${e.name} -> ${e.table} (${e.strategy}, ${e.direction}, ${e.fields.length} fields)`).join('\n'),
    );
    return ExitCode.ok;
  } catch (error) {
    if (!(error instanceof DiagnosticsError)) throw error;
    for (const d of sortDiagnostics(error.diagnostics)) io.stderr(formatDiagnostic(d));
    return ExitCode.badInput;
  }
}
