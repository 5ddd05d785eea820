import { formatDiagnostic, sortDiagnostics, type Diagnostic } from '../diagnostics';
import { ExitCode, type CommandIo } from './generateCommand';
import { paint, type TerminalIo } from './output';

/** Print diagnostics to stderr, sorted, heads coloured by severity and hints dimmed when `io.color`. */
export function printDiagnostics(diagnostics: readonly Diagnostic[], io: CommandIo & TerminalIo): void {
  const p = paint(io.color ?? false);
  for (const d of sortDiagnostics(diagnostics)) {
    const [head, ...rest] = formatDiagnostic(d).split('\n');
    io.stderr([(d.severity === 'error' ? p.red : p.yellow)(head!), ...rest.map(p.dim)].join('\n'));
  }
}

/**
 * Report a run that stopped on bad input: every diagnostic as text (with an
 * optional closing line) or as a JSON report. Returns the exit code.
 */
export function reportBadInput(diagnostics: readonly Diagnostic[], json: boolean | undefined, io: CommandIo & TerminalIo, closing?: string): number {
  if (json) {
    io.stdout(JSON.stringify({ status: 'error', diagnostics: sortDiagnostics(diagnostics) }, null, 2));
  } else {
    printDiagnostics(diagnostics, io);
    if (closing) io.stderr(closing);
  }
  return ExitCode.badInput;
}
