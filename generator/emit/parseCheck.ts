import ts from 'typescript';
import { DiagnosticCode, diagnostic, type Diagnostic } from '../diagnostics';
import type { GeneratedFile } from './generatedFile';

/**
 * Parse every generated `.ts` file with TypeScript's parser before anything
 * is written. A syntax error here is a bug in trackhub-sync (the serializer
 * and templates must never produce one), reported at the generated line.
 */
export function parseCheck(files: readonly GeneratedFile[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const file of files) {
    if (!file.path.endsWith('.ts')) continue;
    const source = ts.createSourceFile(file.path, file.contents, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
    const parsed = (source as unknown as { parseDiagnostics: readonly ts.DiagnosticWithLocation[] }).parseDiagnostics;
    for (const d of parsed) {
      const { line, character } = source.getLineAndCharacterOfPosition(d.start);
      out.push(
        diagnostic(
          DiagnosticCode.internalSyntax,
          { file: `(generated) ${file.path}`, line: line + 1, column: character + 1 },
          `internal error: generated code does not parse: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`,
          'This is a bug in trackhub-sync; nothing was written. Please report it with the schema that triggers it.',
        ),
      );
    }
  }
  return out;
}
