import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { DiagnosticCode, diagnostic, type Diagnostic } from '../../diagnostics';
import { displayPath } from '../readInputs';
import { parseProto } from './parseProto';
import type { ProtoFileFacts } from './protoFacts';

/**
 * Read and parse the `--proto` inputs: `.proto` files, or folders searched
 * recursively. Files are returned sorted by path and each file once, so the
 * output does not depend on the order of the flags. Every problem (missing
 * input, syntax error) comes back as a diagnostic, next to the files that parsed.
 *
 * Files anywhere under `exclude` (the output folder, which holds the
 * generated `proto/<package as folders>/sync.proto`) are skipped, so a folder
 * input may contain the output.
 */
export function readProtoInputs(paths: readonly string[], baseDir: string, exclude?: string): { facts: ProtoFileFacts[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const files = new Set<string>();
  for (const path of paths) {
    const shown = displayPath(baseDir, path);
    const at = { file: shown, line: 1, column: 1 };
    if (!existsSync(path)) {
      diagnostics.push(
        diagnostic(DiagnosticCode.proto, at, 'proto input not found', 'Check the --proto path or the "proto.files" entry of the config.'),
      );
    } else if (statSync(path).isDirectory()) {
      const found = protoFilesIn(path);
      if (found.length === 0)
        diagnostics.push(diagnostic(DiagnosticCode.proto, at, 'folder holds no .proto files', 'Point --proto at .proto files or folders of them.'));
      for (const file of found) files.add(file);
    } else if (path.endsWith('.proto')) {
      files.add(path);
    } else {
      diagnostics.push(diagnostic(DiagnosticCode.proto, at, 'not a .proto file', 'Point --proto at .proto files or folders of them.'));
    }
  }
  const facts: ProtoFileFacts[] = [];
  const skip = exclude ? `${resolve(exclude)}${sep}` : null;
  for (const path of [...files].filter((f) => !skip || !resolve(f).startsWith(skip)).sort()) {
    const outcome = parseProto({ path, shown: displayPath(baseDir, path), text: readFileSync(path, 'utf8') });
    if (outcome.ok) facts.push(outcome.facts);
    else diagnostics.push(...outcome.diagnostics);
  }
  return { facts, diagnostics };
}

function protoFilesIn(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name.startsWith('.') ? [] : protoFilesIn(full);
    return entry.name.endsWith('.proto') ? [full] : [];
  });
}
