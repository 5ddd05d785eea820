import { resolveConfig, type CliOverrides } from '../config';
import { DiagnosticsError } from '../diagnostics';
import { loadIr } from '../pipeline';
import { ExitCode, type CommandIo } from './generateCommand';
import type { TerminalIo } from './output';
import { reportBadInput } from './report';

/** `trackhub-sync ir --json`: print the IR the targets would see. */
export async function irCommand(flags: CliOverrides & { json?: boolean }, io: CommandIo & TerminalIo): Promise<number> {
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
    return reportBadInput(error.diagnostics, flags.json, io);
  }
}
