import { DiagnosticCode, diagnostic, type Diagnostic } from '../diagnostics';
import type { SourceLocation } from '../ir/types';
import type { Annotation, AnnotationArg } from '../readers/facts';

/**
 * The doc-comment annotation grammar of Prisma inputs (README "Annotations"):
 *
 *   @sync                      @sync(strategy: serverMerge, table: "my_spaces")
 *   @sync.ignore               @sync.merge(counter)
 *   @sync.file(maxBytes: 10485760, accept: "image/*,application/pdf")
 *
 * A value is an identifier, a non-negative integer or a double-quoted string. Anything else after
 * `@sync` is reported with its position and the rest of the comment is kept
 * as ordinary documentation.
 */

const ANNOTATION = /@sync(?:\.([A-Za-z_]\w*))?/g;
const IDENT = /^[A-Za-z_][\w-]*/;
const STRING = /^"((?:[^"\\]|\\.)*)"/;
const INTEGER = /^\d+(?![\w.])/;

export interface CommentLine {
  /** Text of the comment after `///`. */
  text: string;
  /** Location of the first character of `text`. */
  location: SourceLocation;
}

export interface ParsedAnnotations {
  annotations: Annotation[];
  diagnostics: Diagnostic[];
}

export function parseAnnotations(lines: readonly CommentLine[]): ParsedAnnotations {
  const annotations: Annotation[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const line of lines) {
    for (const match of line.text.matchAll(ANNOTATION)) {
      const start = match.index;
      // `foo@sync` inside an e-mail or word is not an annotation.
      if (start > 0 && /\w/.test(line.text.charAt(start - 1))) continue;
      const at = shift(line.location, start);
      const name = match[1] ? `sync.${match[1]}` : 'sync';
      const after = start + match[0].length;
      const annotation: Annotation = { name, positional: [], named: {}, location: at };
      if (line.text.charAt(after) === '(') {
        const parsed = parseArgs(line.text, after + 1, line.location);
        if ('error' in parsed) {
          diagnostics.push(
            diagnostic(
              DiagnosticCode.annotationSyntax,
              parsed.at,
              `malformed @${name} annotation: ${parsed.error}`,
              'Arguments look like @sync(strategy: serverMerge, table: "my_table") or @sync.merge(counter).',
            ),
          );
          // Keep the annotation itself so the entity is still checked.
          annotations.push(annotation);
          continue;
        }
        annotation.positional = parsed.positional;
        annotation.named = parsed.named;
      }
      annotations.push(annotation);
    }
  }
  return { annotations, diagnostics };
}

function shift(at: SourceLocation, by: number): SourceLocation {
  return { ...at, column: at.column + by };
}

type ArgsResult = { positional: AnnotationArg[]; named: Record<string, AnnotationArg> } | { error: string; at: SourceLocation };

function parseArgs(text: string, from: number, base: SourceLocation): ArgsResult {
  const positional: AnnotationArg[] = [];
  const named: Record<string, AnnotationArg> = {};
  let i = from;
  const skipSpace = () => {
    while (i < text.length && /\s/.test(text.charAt(i))) i++;
  };
  const value = (): AnnotationArg | undefined => {
    const rest = text.slice(i);
    const str = STRING.exec(rest);
    const id = str ? null : (IDENT.exec(rest) ?? INTEGER.exec(rest));
    const m = str ?? id;
    if (!m) return undefined;
    const arg = { value: str ? str[1]!.replace(/\\(.)/g, '$1') : m[0], location: shift(base, i) };
    i += m[0].length;
    return arg;
  };
  skipSpace();
  if (text.charAt(i) === ')') return { positional, named };
  for (;;) {
    skipSpace();
    const first = value();
    if (!first) return { error: `expected a value at '${text.slice(i, i + 10)}'`, at: shift(base, i) };
    skipSpace();
    if (text.charAt(i) === ':') {
      i++;
      skipSpace();
      const v = value();
      if (!v) return { error: `expected a value for '${first.value}'`, at: shift(base, i) };
      if (named[first.value]) return { error: `'${first.value}' is given twice`, at: first.location };
      named[first.value] = v;
    } else {
      positional.push(first);
    }
    skipSpace();
    const c = text.charAt(i);
    if (c === ',') {
      i++;
      continue;
    }
    if (c === ')') return { positional, named };
    return { error: c ? `unexpected '${c}'` : 'missing closing parenthesis', at: shift(base, i) };
  }
}
