import { createRequire } from 'node:module';
import type ts from 'typescript';
import { DiagnosticCode, diagnostic, type Diagnostic } from '../diagnostics';
import type { GeneratedFile } from './generatedFile';
import { spawnParseCheckWorker, takePrestartedWorker, typescriptPath, type ParseCheckWorker, type SyntaxFinding } from './parseCheckWorker';

/**
 * Parse every generated `.ts` file with TypeScript's parser before anything
 * is written. A syntax error here is a bug in trackhub-sync (the serializer
 * and templates must never produce one), reported at the generated line.
 */
export function parseCheck(files: readonly GeneratedFile[]): Diagnostic[] {
  const sources = files.filter(isTs);
  if (sources.length === 0) return [];
  const typescript = loadTypescript();
  if (!typescript) return [];
  return sources.flatMap((file) => syntaxFindings(typescript, file)).map(toDiagnostic);
}

/** The same check as `parseCheck`, fed file by file while the rest is still being rendered. */
export interface ParseCheck {
  /** Queue files for the check (files other than `.ts` are ignored). */
  add(files: readonly GeneratedFile[]): void;
  /** The diagnostics of every file added; no file can be added after. */
  result(): Promise<Diagnostic[]>;
  /** Stop without a result (rendering failed). */
  cancel(): void;
}

/**
 * `parseCheck` in a worker thread beside rendering: the worker loads
 * TypeScript and parses each batch as it is added, so on a machine with a
 * second core the check (most of a fresh 200-model run, docs/PERFORMANCE.md
 * "Generate") leaves the main thread's path. Same parser, same options, same
 * diagnostics; if the worker cannot run or dies, the files are checked here.
 *
 * `eager` starts the worker (and its TypeScript load) now rather than at the
 * first `.ts` file added: worth it when most files will need the check.
 * `typescript` is the module the worker loads (default: TypeScript as
 * resolved from here).
 */
export function startParseCheck(options: { eager?: boolean; typescript?: string } = {}): ParseCheck {
  const added: GeneratedFile[] = [];
  const typescript = options.typescript ?? typescriptPath();
  // The worker the bin started before loading the program (bin/main.ts), if any: already loading TypeScript.
  let running: ParseCheckWorker | null = typescript ? takePrestartedWorker(typescript) : null;

  const start = (): ParseCheckWorker | null => {
    if (!running && typescript) running = spawnParseCheckWorker(typescript);
    return running;
  };
  if (options.eager) start();

  return {
    add(files) {
      const sources = files.filter(isTs);
      if (sources.length === 0) return;
      added.push(...sources);
      start()?.worker.postMessage(sources.map(({ path, contents }) => ({ path, contents })));
    },
    async result() {
      if (!running) return parseCheck(added);
      const { worker, findings } = running;
      // Nothing to check (every file unchanged on disk): no need to wait for TypeScript to load, nor
      // for the worker to stop (terminating waits for it to leave the compile it may be in).
      if (added.length === 0) {
        worker.unref();
        void worker.terminate();
        return [];
      }
      worker.postMessage(null);
      const found = await findings;
      await worker.terminate();
      return found ? found.map(toDiagnostic) : parseCheck(added);
    },
    cancel() {
      void running?.worker.terminate();
    },
  };
}

function syntaxFindings(typescript: typeof ts, file: GeneratedFile): SyntaxFinding[] {
  // JSDoc is not parsed: for a .ts file TypeScript drops JSDoc's own diagnostics from
  // parseDiagnostics anyway (parser.ts parseJSDocComment), so the check is unchanged.
  const options = { languageVersion: typescript.ScriptTarget.Latest, jsDocParsingMode: typescript.JSDocParsingMode.ParseNone };
  const source = typescript.createSourceFile(file.path, file.contents, options, false, typescript.ScriptKind.TS);
  const parsed = (source as unknown as { parseDiagnostics: readonly ts.DiagnosticWithLocation[] }).parseDiagnostics;
  return parsed.map((d) => {
    const { line, character } = source.getLineAndCharacterOfPosition(d.start);
    return { path: file.path, line: line + 1, column: character + 1, message: typescript.flattenDiagnosticMessageText(d.messageText, ' ') };
  });
}

function toDiagnostic(finding: SyntaxFinding): Diagnostic {
  return diagnostic(
    DiagnosticCode.internalSyntax,
    { file: `(generated) ${finding.path}`, line: finding.line, column: finding.column },
    `internal error: generated code does not parse: ${finding.message}`,
    'This is a bug in trackhub-sync; nothing was written. Please report it with the schema that triggers it.',
  );
}

const isTs = (file: GeneratedFile) => file.path.endsWith('.ts');

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
