import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type ts from 'typescript';
import { DiagnosticCode, diagnostic, type Diagnostic } from '../diagnostics';
import type { GeneratedFile } from './generatedFile';

/** A syntax error TypeScript's parser reported in one generated file (1-based line and column). */
interface SyntaxFinding {
  path: string;
  line: number;
  column: number;
  message: string;
}

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
  let worker: Worker | null = null;
  // null: TypeScript did not load in the worker, or the worker died; the main thread checks instead.
  let findings: Promise<SyntaxFinding[] | null> = Promise.resolve(null);

  const start = (): Worker | null => {
    if (worker) return worker;
    const typescript = options.typescript ?? typescriptPath();
    if (!typescript) return null;
    const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { typescript } });
    findings = new Promise((resolve) => {
      w.once('message', (message: SyntaxFinding[] | null) => resolve(message));
      w.once('error', () => resolve(null));
      w.once('exit', () => resolve(null));
    });
    worker = w;
    return w;
  };
  if (options.eager) start();

  return {
    add(files) {
      const sources = files.filter(isTs);
      if (sources.length === 0) return;
      added.push(...sources);
      start()?.postMessage(sources.map(({ path, contents }) => ({ path, contents })));
    },
    async result() {
      if (!worker) return parseCheck(added);
      worker.postMessage(null);
      const found = await findings;
      await worker.terminate();
      return found ? found.map(toDiagnostic) : parseCheck(added);
    },
    cancel() {
      void worker?.terminate();
    },
  };
}

/**
 * The worker: CommonJS evaluated as a string (no file of its own, so the
 * development sources and the bundled package run the same code). Mirrors
 * `syntaxFindings` below; parseCheck.test.ts holds both to the same diagnostics.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
// TypeScript is 9 MB of JavaScript: Node >= 22.1 can keep its compiled code between runs.
require('node:module').enableCompileCache?.();
let ts = null;
try { ts = require(workerData.typescript); } catch {}
const found = [];
parentPort.on('message', (files) => {
  if (!ts) return parentPort.postMessage(null);
  if (files === null) return parentPort.postMessage(found);
  for (const file of files) {
    const source = ts.createSourceFile(file.path, file.contents, { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone }, false, ts.ScriptKind.TS);
    for (const d of source.parseDiagnostics) {
      const at = source.getLineAndCharacterOfPosition(d.start);
      found.push({ path: file.path, line: at.line + 1, column: at.character + 1, message: ts.flattenDiagnosticMessageText(d.messageText, ' ') });
    }
  }
});
`;

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

/** Where TypeScript resolves from here (without loading it), for the worker; null when absent. */
function typescriptPath(): string | null {
  try {
    return createRequire(import.meta.url).resolve('typescript');
  } catch {
    return null;
  }
}
