import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { lowerFirst } from '../ir/names';
import type { SyncStrategy } from '../ir/types';
import { displayPath } from '../readers/readInputs';
import { readPrisma } from '../readers/prisma/readPrisma';
import { type Diagnostic } from '../diagnostics';
import { prismaModel, sdlType, type FieldSpec } from './entityTemplate';
import { prismaFiles, type ProjectSchema } from './project';
import { scanPrisma, syncAnnotation } from './prismaText';
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
      return new Set(
        prismaFiles(project.path).flatMap((f) => scanPrisma(f, safeRead(f)).map((b) => b.name)),
      );
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
 */
export function planAddEntity(project: Exclude<ProjectSchema, { kind: 'none' }>, entity: NewEntity, withSupport: boolean): FileChange {
  if (project.kind === 'graphql') return planEdit(project.path, (text) => appendBlocks(text, [sdlType(entity.name, entity.strategy, entity.fields)]));
  const names = declaredNames(project);
  const blocks = [prismaModel(entity.name, entity.strategy, entity.fields)];
  if (!names.has(STATUS_ENUM_NAME)) blocks.unshift(prismaVocabulary().statusEnum);
  if (withSupport) for (const [model, text] of prismaVocabulary().supportModels) if (!names.has(model)) blocks.push(text);
  const file = project.folder ? join(project.path, `${lowerFirst(entity.name)}.prisma`) : project.path;
  return planEdit(file, (text) => appendBlocks(text, blocks));
}

/**
 * Validate a Prisma schema input as it would be after `changes`, with Prisma's
 * own engine (the same one `prisma validate` runs) and our annotation grammar.
 */
export function validatePrismaAfter(schemaPath: string, folder: boolean, changes: readonly FileChange[], baseDir: string): Diagnostic[] {
  const planned = new Map(changes.flatMap((c) => (c.kind === 'keep' ? [] : [[c.path, c.contents] as const])));
  const files = new Set(folder ? prismaFiles(schemaPath) : [schemaPath]);
  for (const path of planned.keys()) if (path.endsWith('.prisma') && (folder ? !relative(schemaPath, path).startsWith('..') : path === schemaPath)) files.add(path);
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

