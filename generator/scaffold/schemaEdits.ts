import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { lowerFirst, pluralize } from '../ir/names';
import type { SyncStrategy } from '../ir/types';
import { displayPath } from '../readers/readInputs';
import { readPrisma } from '../readers/prisma/readPrisma';
import type { Diagnostic } from '../diagnostics';
import { isRelationSpec, prismaModel, sdlType, type FieldSpec } from './entityTemplate';
import { prismaFiles, type ProjectSchema } from './project';
import { alignFields, applyEdits, scanPrisma, syncAnnotation, type TextEdit } from './prismaText';
import { planEdit, type FileChange } from './userFiles';
import { STATUS_ENUM_NAME, prismaVocabulary } from './vocabulary';

/** Append top-level blocks at the end of a schema text, one blank line apart; nothing else changes. */
export function appendBlocks(text: string, blocks: readonly string[]): string {
  if (blocks.length === 0) return text;
  const head = text === '' ? '' : text.endsWith('\n') ? `${text}\n` : `${text}\n\n`;
  return `${head}${blocks.join('\n\n')}\n`;
}

export interface NewEntity {
  name: string;
  strategy: SyncStrategy;
  fields: FieldSpec[];
}

/** Names declared in a schema input (models, enums, types), for duplicate checks. */
export function declaredNames(project: ProjectSchema): Set<string> {
  switch (project.kind) {
    case 'none':
      return new Set();
    case 'prisma':
      return new Set(prismaFiles(project.path).flatMap((f) => scanPrisma(f, safeRead(f)).map((b) => b.name)));
    case 'graphql':
      return new Set([...safeRead(project.path).matchAll(/^\s*(?:type|enum|input|interface|scalar|union)\s+(\w+)/gm)].map((m) => m[1]!));
  }
}

/** Whether any entity of the input is annotated with `@sync`. */
export function hasSyncedEntity(project: ProjectSchema): boolean {
  switch (project.kind) {
    case 'none':
      return false;
    case 'prisma':
      return prismaFiles(project.path).some((f) => scanPrisma(f, safeRead(f)).some((b) => b.keyword === 'model' && syncAnnotation(b)));
    case 'graphql':
      return /@sync\b(?![A-Z])/.test(safeRead(project.path));
  }
}

/**
 * Plan adding an annotated entity (every base field, the pull index) at the
 * end of the user's schema: the single Prisma file, a new `<name>.prisma` in a
 * schema folder, or the SDL file. The status enum is appended when missing;
 * with `withSupport`, so are the server's support models (replay log, counter).
 * In Prisma each relation also gets its other side in the parent model
 * (`comments Comment[]` in `Task`), inserted after the parent's last field.
 *
 * What is already there is not added again (the entity exactly as this
 * writes it, a parent's other side, the enum, the support models), so that a
 * run killed between two files is completed by running it again. `added`:
 * entityAsAdded's answer, when the caller has it already.
 */
export function planAddEntity(
  project: Exclude<ProjectSchema, { kind: 'none' }>,
  entity: NewEntity,
  withSupport: boolean,
  added = entityAsAdded(project, entity),
): FileChange[] {
  const file = entityFile(project, entity.name);
  if (project.kind === 'graphql')
    return [planEdit(file, (text) => (added ? text : appendBlocks(text, [sdlType(entity.name, entity.strategy, entity.fields)])))];
  const names = declaredNames(project);
  const blocks = added ? [] : [prismaModel(entity.name, entity.strategy, entity.fields)];
  if (!names.has(STATUS_ENUM_NAME)) blocks.unshift(prismaVocabulary().statusEnum);
  if (withSupport) for (const [model, text] of prismaVocabulary().supportModels) if (!names.has(model)) blocks.push(text);
  const backEdits = new Map<string, TextEdit[]>();
  for (const spec of entity.fields.filter(isRelationSpec)) {
    const parent = prismaFiles(project.path)
      .flatMap((path) => scanPrisma(path, safeRead(path)).map((block) => ({ path, block })))
      .find((b) => b.block.keyword === 'model' && b.block.name === spec.relation);
    if (!parent) continue; // validated afterwards by Prisma's engine
    if (parent.block.fields.some((f) => f.type === `${entity.name}[]`)) continue; // the other side is there already
    const last = parent.block.fields.at(-1);
    const [line] = alignFields(
      [{ name: pluralize(lowerFirst(entity.name)), type: `${entity.name}[]`, rest: '' }],
      parent.block.indent,
      parent.block.fields,
    );
    const edits = backEdits.get(parent.path) ?? [];
    edits.push({ offset: last ? last.lineEnd + 1 : parent.block.bodyStart, text: `${line}\n` });
    backEdits.set(parent.path, edits);
  }
  const changes = [...backEdits].filter(([path]) => path !== file).map(([path, edits]) => planEdit(path, (text) => applyEdits(text, edits)));
  changes.push(planEdit(file, (text) => appendBlocks(applyEdits(text, backEdits.get(file) ?? []), blocks)));
  return changes;
}

/** The file an entity is added to: the single schema file, or `<name>.prisma` in a Prisma schema folder. */
export function entityFile(project: Exclude<ProjectSchema, { kind: 'none' }>, name: string): string {
  return project.kind === 'prisma' && project.folder ? join(project.path, `${lowerFirst(name)}.prisma`) : project.path;
}

/**
 * Whether the entity is declared exactly as planAddEntity writes it (the
 * same fields and strategy, untouched since): a run killed after writing it
 * left it there, and running the same command again has nothing to add.
 */
export function entityAsAdded(project: Exclude<ProjectSchema, { kind: 'none' }>, entity: NewEntity): boolean {
  const block =
    project.kind === 'graphql' ? sdlType(entity.name, entity.strategy, entity.fields) : prismaModel(entity.name, entity.strategy, entity.fields);
  const text = safeRead(entityFile(project, entity.name));
  const at = text.indexOf(block);
  // A whole block: starts a line and ends one.
  return at >= 0 && (at === 0 || text[at - 1] === '\n') && (at + block.length === text.length || text[at + block.length] === '\n');
}

/**
 * Validate a Prisma schema input as it would be after `changes`, with Prisma's
 * own engine (the same one `prisma validate` runs) and our annotation grammar.
 */
export function validatePrismaAfter(schemaPath: string, folder: boolean, changes: readonly FileChange[], baseDir: string): Diagnostic[] {
  const planned = new Map(changes.flatMap((c) => (c.kind === 'keep' ? [] : [[c.path, c.contents] as const])));
  const files = new Set(folder ? prismaFiles(schemaPath) : [schemaPath]);
  for (const path of planned.keys())
    if (path.endsWith('.prisma') && (folder ? !relative(schemaPath, path).startsWith('..') : path === schemaPath)) files.add(path);
  const sources = [...files].sort().map((path) => ({ path: displayPath(baseDir, path), text: planned.get(path) ?? safeRead(path) }));
  return readPrisma(sources).diagnostics.filter((d) => d.severity === 'error');
}

function safeRead(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
