import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { LOAD_TYPESCRIPT_SOURCE, codeCacheDirs } from './codeCache';

/** A syntax error TypeScript's parser reported in one generated file (1-based line and column). */
export interface SyntaxFinding {
  path: string;
  line: number;
  column: number;
  message: string;
}

/** A parse-check worker and its one answer: the findings, or null when TypeScript did not load or the worker died. */
export interface ParseCheckWorker {
  worker: Worker;
  typescript: string;
  findings: Promise<SyntaxFinding[] | null>;
  /** What the TypeScript code cache did, known with the findings (null: no answer). */
  cache: Promise<TypescriptCacheReport | null>;
}

/** What the worker's TypeScript load found in the code cache (codeCache.ts), and whether it wrote a new one. */
export interface TypescriptCacheReport {
  found: 'off' | 'compile-cache' | 'missing' | 'corrupt' | 'rejected' | 'accepted';
  written: boolean;
}

/**
 * The worker: CommonJS evaluated as a string (no file of its own, so the
 * development sources and the bundled package run the same code). Mirrors
 * `syntaxFindings` in parseCheck.ts; parseCheck.test.ts holds both to the
 * same diagnostics. It answers once: null at the first batch when TypeScript
 * did not load, else every finding when sent null (no more files), after
 * saving TypeScript's code cache when this run had none (codeCache.ts).
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
${LOAD_TYPESCRIPT_SOURCE}
let loaded = null;
try { loaded = loadTypescript(workerData.typescript, workerData.cacheDirs); } catch {}
const ts = loaded && loaded.ts;
const found = [];
parentPort.on('message', (files) => {
  if (!ts) return parentPort.postMessage(null);
  if (files === null) {
    let written = false;
    try { written = loaded.save(); } catch {}
    return parentPort.postMessage({ findings: found, cache: { found: loaded.cache, written } });
  }
  for (const file of files) {
    const source = ts.createSourceFile(file.path, file.contents, { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone }, false, ts.ScriptKind.TS);
    for (const d of source.parseDiagnostics) {
      const at = source.getLineAndCharacterOfPosition(d.start);
      found.push({ path: file.path, line: at.line + 1, column: at.character + 1, message: ts.flattenDiagnosticMessageText(d.messageText, ' ') });
    }
  }
});
`;

/**
 * Start a worker that loads `typescript` (a module path) and waits for files.
 * Its listeners are attached here, so an answer or an exit before anyone
 * sends it files is not missed.
 */
export function spawnParseCheckWorker(typescript: string, cacheDirs: string[] = codeCacheDirs(typescript)): ParseCheckWorker {
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { typescript, cacheDirs } });
  const answer = new Promise<{ findings: SyntaxFinding[]; cache: TypescriptCacheReport } | null>((resolve) => {
    worker.once('message', (message: { findings: SyntaxFinding[]; cache: TypescriptCacheReport } | null) => resolve(message));
    worker.once('error', () => resolve(null));
    worker.once('exit', () => resolve(null));
  });
  return {
    worker,
    typescript,
    findings: answer.then((a) => a?.findings ?? null),
    cache: answer.then((a) => a?.cache ?? null),
  };
}

/** Where TypeScript resolves from here (without loading it), for the worker; null when absent. */
export function typescriptPath(): string | null {
  try {
    return createRequire(import.meta.url).resolve('typescript');
  } catch {
    return null;
  }
}

// One per process: the bin starts it before its own modules load, the run's parse check takes it.
// Kept on the global object, not in a module variable: the published bin starts it from its ESM
// entry and takes it in its CommonJS bundle (bin/main.ts), two copies of this module.
const PRESTARTED = Symbol.for('trackhub-sync.prestartedParseCheckWorker');
const slot = globalThis as { [PRESTARTED]?: ParseCheckWorker | null };

/**
 * Start the parse check's worker now, before the rest of the program loads:
 * for `trackhub-sync generate`, whose check (docs/PERFORMANCE.md "Generate")
 * then loads TypeScript while the main thread loads its modules, reads the
 * schema and renders. Unreferenced until taken, so a run that never checks
 * (bad input, nothing changed) exits without waiting for it. Returns whether
 * a worker was started (false: no TypeScript, or no worker could start).
 */
export function prestartParseCheckWorker(typescript: string | null = typescriptPath()): boolean {
  if (slot[PRESTARTED] || !typescript) return Boolean(slot[PRESTARTED]);
  let started: ParseCheckWorker;
  try {
    started = spawnParseCheckWorker(typescript);
  } catch {
    return false;
  }
  started.worker.unref();
  slot[PRESTARTED] = started;
  return true;
}

/** The pre-started worker, once, if it loads `typescript`; referenced again (the run now waits for it). */
export function takePrestartedWorker(typescript: string): ParseCheckWorker | null {
  const taken = slot[PRESTARTED];
  if (!taken || taken.typescript !== typescript) return null;
  slot[PRESTARTED] = null;
  taken.worker.ref();
  return taken;
}
