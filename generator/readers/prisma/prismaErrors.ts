import { DiagnosticCode, diagnostic, type Diagnostic } from '../../diagnostics';
import type { SourceFile } from './readPrisma';

// Prisma's engine reports `error: message\n  -->  file:line\n...` with the
// offending span coloured bright red on the quoted source line; that colour is
// the only column information it gives, so we ask for colours and read it back.
const ANSI = /\u001b\[[0-9;]*m/g;
const HIGHLIGHT = '\u001b[1;91m';

/** Turn an engine error (P1012 and friends) into located diagnostics. */
export function parsePrismaErrors(error: unknown, files: readonly SourceFile[]): Diagnostic[] {
  const raw = error instanceof Error ? error.message : String(error);
  let message = raw;
  try {
    const parsed = JSON.parse(raw) as { message?: string };
    if (parsed.message) message = parsed.message;
  } catch {
    // not JSON: keep the text as it is
  }
  const blocks = message.split(/\n(?=(?:\u001b\[[0-9;]*m)*error(?:\u001b\[[0-9;]*m)*: )/);
  const out: Diagnostic[] = [];
  for (const block of blocks) {
    const lines = block.split('\n');
    const head = lines[0]!
      .replace(ANSI, '')
      .replace(/^error:\s*/, '')
      .trim();
    if (!head || head.startsWith('Validation Error Count')) continue;
    const where = lines.map((l) => /-->\s+(.+):(\d+)\s*$/.exec(l.replace(ANSI, ''))).find(Boolean);
    if (!where) {
      out.push(diagnostic(DiagnosticCode.syntax, { file: files[0]?.path ?? 'schema.prisma', line: 1, column: 1 }, head));
      continue;
    }
    const file = where[1]!;
    const line = Number(where[2]);
    let column = 1;
    const source = lines.find((l) => new RegExp(`^(?:\\u001b\\[[0-9;]*m)*\\s*${line} \\| `).test(l));
    if (source) {
      const body = source.replace(/^(?:\u001b\[[0-9;]*m)*\s*\d+ \| (?:\u001b\[0m)?/, '');
      const at = body.indexOf(HIGHLIGHT);
      column = at >= 0 ? body.slice(0, at).replace(ANSI, '').length + 1 : firstNonSpace(files, file, line);
    } else {
      column = firstNonSpace(files, file, line);
    }
    out.push(diagnostic(DiagnosticCode.syntax, { file, line, column }, `Prisma: ${head}`, 'Fix the schema so that `prisma validate` accepts it.'));
  }
  return out;
}

function firstNonSpace(files: readonly SourceFile[], file: string, line: number): number {
  const text = files.find((f) => f.path === file)?.text.split(/\r?\n/)[line - 1] ?? '';
  return text.search(/\S/) + 1 || 1;
}
