import { createRequire } from 'node:module';
import type ts from 'typescript';
import { DiagnosticCode, diagnostic, type Diagnostic } from '../diagnostics';
import type { GeneratedFile } from './generatedFile';

/**
 * Parse every generated `.ts` file with TypeScript's parser before anything
 * is written. A syntax error here is a bug in trackhub-sync (the serializer
 * and templates must never produce one), reported at the generated line.
 */
export function parseCheck(files: readonly GeneratedFile[]): Diagnostic[] {
  if (!files.some((f) => f.path.endsWith('.ts'))) return [];
  const typescript = loadTypescript();
  if (!typescript) return [];
  const out: Diagnostic[] = [];
  for (const file of files) {
    if (!file.path.endsWith('.ts')) continue;
    const source = typescript.createSourceFile(file.path, file.contents, typescript.ScriptTarget.Latest, false, typescript.ScriptKind.TS);
    const parsed = (source as unknown as { parseDiagnostics: readonly ts.DiagnosticWithLocation[] }).parseDiagnostics;
    for (const d of parsed) {
      const { line, character } = source.getLineAndCharacterOfPosition(d.start);
      out.push(
        diagnostic(
          DiagnosticCode.internalSyntax,
          { file: `(generated) ${file.path}`, line: line + 1, column: character + 1 },
          `internal error: generated code does not parse: ${typescript.flattenDiagnosticMessageText(d.messageText, ' ')}`,
          'This is a bug in trackhub-sync; nothing was written. Please report it with the schema that triggers it.',
        ),
      );
    }
  }
  return out;
}

/**
 * TypeScript is an optional peer dependency (README "Development"): every
 * project that compiles the generated code has it, and shipping a second copy
 * would add ~23 MB to an app's install. Without it the check is skipped.
 */
function loadTypescript(): typeof ts | null {
  try {
    return createRequire(import.meta.url)('typescript') as typeof ts;
  } catch {
    return null;
  }
}
