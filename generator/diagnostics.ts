import type { SourceLocation } from './ir/types';

/** Diagnostic codes; each names one kind of input problem. */
export const DiagnosticCode = {
  syntax: 'TS100',
  missingBaseField: 'TS101',
  unknownStrategy: 'TS102',
  unknownDirection: 'TS103',
  unknownMergeRule: 'TS104',
  unknownAnnotation: 'TS105',
  relationToUnsynced: 'TS106',
  reservedColumn: 'TS107',
  duplicateTable: 'TS108',
  unsupportedType: 'TS109',
  annotationSyntax: 'TS110',
  mergeRuleType: 'TS111',
  unknownScope: 'TS112',
  baseFieldType: 'TS113',
  unsupportedRelation: 'TS114',
  duplicateEntity: 'TS115',
  inputNotFound: 'TS116',
  unsupportedId: 'TS117',
  reservedName: 'TS118',
  emptyEnum: 'TS119',
  mergeRuleUnused: 'TS120',
  graphqlNameClash: 'TS121',
  fileField: 'TS122',
  requiredKeyCycle: 'TS123',
  config: 'TS200',
  outputFolder: 'TS201',
  snapshot: 'TS300',
  destructiveChange: 'TS301',
  regression: 'TS302',
  proto: 'TS400',
  internalSyntax: 'TS900',
} as const;
export type DiagnosticCode = (typeof DiagnosticCode)[keyof typeof DiagnosticCode];

export interface Diagnostic {
  code: DiagnosticCode;
  severity: 'error' | 'warning';
  message: string;
  file: string;
  line: number;
  column: number;
  hint?: string;
}

export function diagnostic(
  code: DiagnosticCode,
  at: SourceLocation,
  message: string,
  hint?: string,
  severity: Diagnostic['severity'] = 'error',
): Diagnostic {
  return { code, severity, message, file: at.file, line: at.line, column: at.column, ...(hint ? { hint } : {}) };
}

/** `schema.prisma:42:3 TS103 model Task › field x: message. Hint: ...` */
export function formatDiagnostic(d: Diagnostic): string {
  const head = `${d.file}:${d.line}:${d.column} ${d.code} ${d.severity === 'warning' ? 'warning: ' : ''}${d.message}`;
  return d.hint ? `${head}\n  Hint: ${d.hint}` : head;
}

export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return [...list].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.code.localeCompare(b.code));
}

export function hasErrors(list: readonly Diagnostic[]): boolean {
  return list.some((d) => d.severity === 'error');
}

/** Thrown by the pipeline when input is bad; carries every diagnostic of the run. */
export class DiagnosticsError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(sortDiagnostics(diagnostics).map(formatDiagnostic).join('\n'));
    this.name = 'DiagnosticsError';
  }
}

/** Levenshtein distance, for "did you mean" hints. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/** The closest candidate to `word` (case-insensitive), or undefined if none is close. */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    const score = distance(word.toLowerCase(), c.toLowerCase());
    if (score < bestScore) {
      best = c;
      bestScore = score;
    }
  }
  return best !== undefined && bestScore <= Math.max(2, Math.floor(word.length / 2)) ? best : undefined;
}

/** "Did you mean 'x'? Valid: a, b, c." */
export function suggest(word: string, candidates: readonly string[]): string {
  const near = nearest(word, candidates);
  const valid = `Valid values: ${candidates.join(', ')}.`;
  return near ? `Did you mean '${near}'? ${valid}` : valid;
}
