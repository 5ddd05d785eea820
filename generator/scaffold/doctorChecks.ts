import { readFileSync } from 'node:fs';
import type { SourceLocation } from '../ir/types';
import { displayPath } from '../readers/readInputs';
import { applyEdits, alignFields, scanPrisma, syncAnnotation, type BlockText, type TextEdit } from './prismaText';
import { appendBlocks } from './schemaEdits';
import { DEDUPE_MODEL_NAME, prismaVocabulary, requiredPrismaFields, syncIndexFields } from './vocabulary';

/** Doctor codes (conventions; input errors keep the pipeline's TS codes). */
export const DoctorCode = {
  missingBaseField: 'DR101',
  missingSyncIndex: 'DR102',
  clientIdNotUnique: 'DR103',
  missingOperationLog: 'DR104',
} as const;

/** One convention a Prisma schema breaks, and whether `--fix` can add what is missing. */
export type Finding = {
  location: SourceLocation;
  message: string;
  hint: string;
  fixable: boolean;
} & (
  | { code: typeof DoctorCode.missingBaseField; entity: string; fields: string[] }
  | { code: typeof DoctorCode.missingSyncIndex; entity: string; fields: string[] }
  | { code: typeof DoctorCode.clientIdNotUnique; entity: string }
  | { code: typeof DoctorCode.missingOperationLog; model: string }
);

export interface PrismaCheck {
  findings: Finding[];
  /** The files' texts with every fixable finding fixed (same texts when nothing is fixable). */
  fixed: Map<string, string>;
}

const INDEX = /^@@(?:index|unique)\(\s*\[([^\]]*)\]/;

/**
 * Check the synced models of one Prisma schema input (all its files) against
 * the conventions: required base fields and the scope field, a unique
 * clientId, the (scope, updatedAt, id) pull index, and the operation-log
 * model. Fixes are insertions at positions, so the rest of the text keeps its
 * formatting byte for byte.
 */
export function checkPrismaSchema(files: readonly string[], baseDir: string): PrismaCheck {
  const findings: Finding[] = [];
  const fixed = new Map<string, string>();
  let anySynced = false;
  let hasLog = false;
  let mainFile: string | undefined;
  for (const path of files) {
    const text = readFileSync(path, 'utf8');
    const shown = displayPath(baseDir, path);
    const edits: TextEdit[] = [];
    for (const block of scanPrisma(shown, text)) {
      if (block.keyword === 'model' && block.name === DEDUPE_MODEL_NAME) hasLog = true;
      const annotation = block.keyword === 'model' ? syncAnnotation(block) : undefined;
      if (!annotation) continue;
      anySynced = true;
      mainFile ??= path;
      const scope = annotation.named['scope']?.value ?? 'tenantId';
      checkModel(block, shown, scope, text, findings, edits);
    }
    fixed.set(path, applyEdits(text, edits));
  }
  if (anySynced && !hasLog && mainFile) {
    findings.push({
      code: DoctorCode.missingOperationLog,
      model: DEDUPE_MODEL_NAME,
      location: { file: displayPath(baseDir, mainFile), line: 1, column: 1 },
      message: `no ${DEDUPE_MODEL_NAME} model: replayed push operations cannot be deduplicated`,
      hint: `Add the model from schema/sync-operations.prisma (doctor --fix does).`,
      fixable: true,
    });
    fixed.set(mainFile, appendBlocks(fixed.get(mainFile)!, [prismaVocabulary().operationLogModel]));
  }
  return { findings, fixed };
}

function checkModel(block: BlockText, file: string, scope: string, text: string, findings: Finding[], edits: TextEdit[]): void {
  const at = (line: number): SourceLocation => ({ file, line, column: 1 });
  const has = new Map(block.fields.map((f) => [f.name, f]));
  const missing = requiredPrismaFields(scope).filter((f) => !has.has(f.name));
  if (missing.length) {
    findings.push({
      code: DoctorCode.missingBaseField,
      entity: block.name,
      fields: missing.map((f) => f.name),
      location: at(block.line),
      message: `model ${block.name}: missing base field(s) ${missing.map((f) => f.name).join(', ')}`,
      hint: 'Every synced entity carries the CrtBaseEntity fields (schema/base-fields.prisma).',
      fixable: true,
    });
    // After the last base field already there (base fields come first), else at the top of the block.
    const baseNames = new Set(prismaVocabulary().baseFields.map((f) => f.name));
    const anchor = [...block.fields].reverse().find((f) => baseNames.has(f.name));
    const offset = anchor ? anchor.lineEnd + 1 : block.bodyStart;
    const lines = alignFields(missing, block.indent, block.fields);
    edits.push({ offset, text: lines.map((l) => `${l}\n`).join('') });
  }
  const clientId = has.get('clientId');
  const uniqueByAttribute = block.attributes.some((a) => /^@@unique\(\s*\[\s*clientId\s*\]/.test(a));
  if (clientId && !/@unique\b/.test(clientId.rest) && !uniqueByAttribute) {
    findings.push({
      code: DoctorCode.clientIdNotUnique,
      entity: block.name,
      location: { file, line: clientId.line, column: 1 },
      message: `model ${block.name}: clientId is not unique`,
      hint: 'Creates are idempotent by clientId (SPEC §4): mark it `@unique`.',
      fixable: true,
    });
    const line = text.slice(clientId.lineStart, clientId.lineEnd);
    const comment = line.indexOf('//');
    const end = comment >= 0 ? clientId.lineStart + line.slice(0, comment).trimEnd().length : clientId.lineStart + line.trimEnd().length;
    edits.push({ offset: end, text: ' @unique' });
  }
  const wanted = syncIndexFields(scope);
  const indexed = block.attributes.some((a) => {
    const match = INDEX.exec(a);
    return match !== null && match[1]!.split(',').map((s) => s.trim().replace(/\(.*\)$/, '')).join(',') === wanted.join(',');
  });
  if (!indexed) {
    findings.push({
      code: DoctorCode.missingSyncIndex,
      entity: block.name,
      fields: wanted,
      location: at(block.line),
      message: `model ${block.name}: no index on (${wanted.join(', ')})`,
      hint: 'Pull pages scan by scope, then (updatedAt, id): without this index every pull reads the whole table.',
      fixable: true,
    });
    const blank = block.attributes.length === 0 ? '\n' : '';
    edits.push({ offset: block.closeLineStart, text: `${blank}${block.indent}@@index([${wanted.join(', ')}])\n` });
  }
}
