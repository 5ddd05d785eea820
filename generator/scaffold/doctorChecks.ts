import { readFileSync } from 'node:fs';
import type { SourceLocation } from '../ir/types';
import { displayPath } from '../readers/readInputs';
import { applyEdits, alignFields, scanPrisma, syncAnnotation, type BlockText, type TextEdit } from './prismaText';
import { appendBlocks } from './schemaEdits';
import type { BaseFieldNames } from '../../protocol/index';
import {
  DEDUPE_MODEL_NAME,
  SEQUENCE_DOCS,
  SEQUENCE_FIELD_LINE,
  prismaVocabulary,
  requiredPrismaFields,
  sequenceIndexFields,
  syncIndexFields,
} from './vocabulary';

/** Doctor codes (conventions; input errors keep the pipeline's TS codes). */
export const DoctorCode = {
  missingBaseField: 'DR101',
  missingSyncIndex: 'DR102',
  clientIdNotUnique: 'DR103',
  missingSupportModel: 'DR104',
  missingSequence: 'DR105',
  outdatedSupportModel: 'DR106',
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
  | { code: typeof DoctorCode.missingSupportModel; model: string }
  | { code: typeof DoctorCode.missingSequence; entity: string; fields: string[] }
  | { code: typeof DoctorCode.outdatedSupportModel; model: string; fields: string[] }
);

export interface CheckOptions {
  /** The server target is on: check what its runtime needs (support models, change sequence). */
  server: boolean;
  /** The config's base-field names (`baseFields`): a renamed role is looked for under its configured name. */
  baseFields?: BaseFieldNames & { scope?: string; entities?: Record<string, BaseFieldNames & { scope?: string }> };
}

/** The schema name of each base-field role of one model, and its default scope, under the config's `baseFields`. */
function namesOf(model: string, config: CheckOptions['baseFields']): { names: Record<string, string>; scope: string | undefined } {
  const { entities, scope, ...global } = config ?? {};
  const { scope: ownScope, ...own } = entities?.[model] ?? {};
  return { names: { ...global, ...own } as Record<string, string>, scope: ownScope ?? scope };
}

export interface PrismaCheck {
  findings: Finding[];
  /** The files' texts with every fixable finding fixed (same texts when nothing is fixable). */
  fixed: Map<string, string>;
}

const INDEX = /^@@(?:index|unique)\(\s*\[([^\]]*)\]/;

/**
 * Check the synced models of one Prisma schema input (all its files) against
 * the conventions: required base fields and the scope field, a unique
 * clientId, the (scope, updatedAt, id) index, and, when the server target is
 * on, what its runtime needs: the `syncSeq` change sequence with its
 * (scope, syncSeq) index and the support models (replay log, counter).
 * Fixes are insertions at positions, so the rest of the text keeps its
 * formatting byte for byte.
 */
export function checkPrismaSchema(files: readonly string[], baseDir: string, options: CheckOptions = { server: true }): PrismaCheck {
  const findings: Finding[] = [];
  const fixed = new Map<string, string>();
  let anySynced = false;
  const declared = new Map<string, { block: BlockText; file: string }>();
  let mainFile: string | undefined;
  for (const path of files) {
    const text = readFileSync(path, 'utf8');
    const shown = displayPath(baseDir, path);
    const edits: TextEdit[] = [];
    for (const block of scanPrisma(shown, text)) {
      if (block.keyword === 'model') declared.set(block.name, { block, file: shown });
      const annotation = block.keyword === 'model' ? syncAnnotation(block) : undefined;
      if (!annotation) continue;
      anySynced = true;
      mainFile ??= path;
      const naming = namesOf(block.name, options.baseFields);
      const scope = annotation.named['scope']?.value ?? naming.scope ?? 'tenantId';
      checkModel(block, shown, scope, text, findings, edits, options, naming.names);
    }
    fixed.set(path, applyEdits(text, edits));
  }
  if (anySynced && options.server && mainFile) {
    const missing = [...prismaVocabulary().supportModels].filter(([name]) => !declared.has(name));
    for (const [name] of missing) {
      findings.push({
        code: DoctorCode.missingSupportModel,
        model: name,
        location: { file: displayPath(baseDir, mainFile), line: 1, column: 1 },
        message:
          name === DEDUPE_MODEL_NAME
            ? `no ${name} model: replayed push operations cannot be deduplicated`
            : `no ${name} model: the server cannot number changes for pulls`,
        hint: 'Add the models of schema/sync-models.prisma (the generated server/prisma/sync.prisma has them too); doctor --fix does.',
        fixable: true,
      });
    }
    findings.push(...outdatedSupportModels(declared));
    if (missing.length)
      fixed.set(
        mainFile,
        appendBlocks(
          fixed.get(mainFile)!,
          missing.map(([, text]) => text),
        ),
      );
  }
  return { findings, fixed };
}

function checkModel(
  block: BlockText,
  file: string,
  scope: string,
  text: string,
  findings: Finding[],
  edits: TextEdit[],
  options: CheckOptions,
  names: Record<string, string> = {},
): void {
  const at = (line: number): SourceLocation => ({ file, line, column: 1 });
  const has = new Map(block.fields.map((f) => [f.name, f]));
  const nameOf = (role: string) => names[role] ?? role;
  const missing = requiredPrismaFields(scope)
    .map((f) => ({ ...f, name: nameOf(f.name) }))
    .filter((f) => !has.has(f.name));
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
    const lines = alignFields(missing, block.indent, block.fields);
    edits.push({ offset: afterBaseFields(block), text: lines.map((l) => `${l}\n`).join('') });
  }
  if (options.server && !has.has(SEQUENCE_FIELD_LINE.name)) {
    findings.push({
      code: DoctorCode.missingSequence,
      entity: block.name,
      fields: [SEQUENCE_FIELD_LINE.name],
      location: at(block.line),
      message: `model ${block.name}: no ${SEQUENCE_FIELD_LINE.name} change-sequence field`,
      hint: `The server's pull reads rows in change order: add \`${SEQUENCE_FIELD_LINE.name} BigInt @default(0)\` marked \`/// @sync.ignore\`.`,
      fixable: true,
    });
    const [line] = alignFields([SEQUENCE_FIELD_LINE], block.indent, [...block.fields, ...missing]);
    edits.push({ offset: afterBaseFields(block), text: [...SEQUENCE_DOCS.map((d) => `${block.indent}${d}`), line].map((l) => `${l}\n`).join('') });
  }
  const clientIdName = nameOf('clientId');
  const clientId = has.get(clientIdName);
  const uniqueByAttribute = block.attributes.some((a) => new RegExp(`^@@unique\\(\\s*\\[\\s*${clientIdName}\\s*\\]`).test(a));
  if (clientId && !/@unique\b/.test(clientId.rest) && !uniqueByAttribute) {
    findings.push({
      code: DoctorCode.clientIdNotUnique,
      entity: block.name,
      location: { file, line: clientId.line, column: 1 },
      message: `model ${block.name}: ${clientIdName} is not unique`,
      hint: 'Creates are idempotent by clientId (docs/PROTOCOL.md): mark it `@unique`.',
      fixable: true,
    });
    const line = text.slice(clientId.lineStart, clientId.lineEnd);
    const comment = line.indexOf('//');
    const end = comment >= 0 ? clientId.lineStart + line.slice(0, comment).trimEnd().length : clientId.lineStart + line.trimEnd().length;
    edits.push({ offset: end, text: ' @unique' });
  }
  const wanted = syncIndexFields(scope).map((f) => (f === 'updatedAt' ? nameOf(f) : f));
  if (!hasIndex(block, wanted)) {
    findings.push({
      code: DoctorCode.missingSyncIndex,
      entity: block.name,
      fields: wanted,
      location: at(block.line),
      message: `model ${block.name}: no index on (${wanted.join(', ')})`,
      hint: 'Every synced entity carries it: reads by scope in (updatedAt, id) order (syncPull `since`, change feeds) scan the whole table without it.',
      fixable: true,
    });
    edits.push({ offset: block.closeLineStart, text: `${block.indent}@@index([${wanted.join(', ')}])\n` });
  }
  const sequenceIndex = sequenceIndexFields(scope);
  if (options.server && !hasIndex(block, sequenceIndex)) {
    findings.push({
      code: DoctorCode.missingSequence,
      entity: block.name,
      fields: sequenceIndex,
      location: at(block.line),
      message: `model ${block.name}: no index on (${sequenceIndex.join(', ')})`,
      hint: 'The server pulls pages by (scope, syncSeq): without this index every pull reads the whole table.',
      fixable: true,
    });
    edits.push({ offset: block.closeLineStart, text: `${block.indent}@@index([${sequenceIndex.join(', ')}])\n` });
  }
  // Block attributes follow the fields after a blank line, as `prisma format` leaves them.
  const firstAttribute = edits.findIndex((e) => e.offset === block.closeLineStart && e.text.trimStart().startsWith('@@'));
  if (block.attributes.length === 0 && firstAttribute >= 0) edits.splice(firstAttribute, 0, { offset: block.closeLineStart, text: '\n' });
}

/**
 * Support models declared with another key or without a field the runtime
 * writes (e.g. the replay log keyed `[tenantId, opId]` before it was scoped by
 * entity). Not fixable by insertion: changing a primary key is a migration.
 */
function outdatedSupportModels(declared: ReadonlyMap<string, { block: BlockText; file: string }>): Finding[] {
  const findings: Finding[] = [];
  for (const [name, text] of prismaVocabulary().supportModels) {
    const found = declared.get(name);
    if (!found) continue;
    const { block, file } = found;
    const [expected] = scanPrisma(name, text);
    const missingFields = expected!.fields.map((f) => f.name).filter((f) => !block.fields.some((g) => g.name === f));
    const wantedId = primaryKey(expected!);
    const id = primaryKey(block);
    if (missingFields.length === 0 && id === wantedId) continue;
    findings.push({
      code: DoctorCode.outdatedSupportModel,
      model: name,
      fields: missingFields,
      location: { file, line: block.line, column: 1 },
      message: missingFields.length
        ? `model ${name}: missing field(s) ${missingFields.join(', ')} the sync runtime writes`
        : `model ${name}: key is ${id ?? 'not a compound @@id'}, the sync runtime needs @@id([${wantedId}])`,
      hint: `Take ${name} from schema/sync-models.prisma and migrate the table (CHANGELOG "Changed › Server" gives the statement); doctor --fix does not change keys.`,
      fixable: false,
    });
  }
  return findings;
}

function primaryKey(block: BlockText): string | undefined {
  const match = block.attributes.map((a) => /^@@id\(\s*\[([^\]]*)\]/.exec(a)).find((m) => m !== null);
  return match?.[1]
    ?.split(',')
    .map((s) => s.trim())
    .join(', ');
}

/** Where missing base fields go: after the last base field already there (base fields come first), else at the top. */
function afterBaseFields(block: BlockText): number {
  const baseNames = new Set(prismaVocabulary().baseFields.map((f) => f.name));
  const anchor = [...block.fields].reverse().find((f) => baseNames.has(f.name));
  return anchor ? anchor.lineEnd + 1 : block.bodyStart;
}

function hasIndex(block: BlockText, fields: readonly string[]): boolean {
  return block.attributes.some((a) => {
    const match = INDEX.exec(a);
    return (
      match !== null &&
      match[1]!
        .split(',')
        .map((s) => s.trim().replace(/\(.*\)$/, ''))
        .join(',') === fields.join(',')
    );
  });
}
