import type { Diagnostic } from '../../diagnostics';
import type { FieldDefault, SourceLocation } from '../../ir/types';
import { parseAnnotations } from '../../annotations/parseAnnotations';
import type { FieldFacts, FieldKind, ModelFacts, SchemaFacts, EnumFacts } from '../facts';
import { getDatamodel } from './datamodelCache';
import { locateBlocks, type LocatedBlock } from './locate';
import { parsePrismaErrors } from './prismaErrors';

/** One Prisma schema file: its path as the user gave it, and its text. */
export interface SourceFile {
  path: string;
  text: string;
}

/** Subset of the engine's datamodel JSON (`get_datamodel`) that we read. */
interface DatamodelField {
  name: string;
  kind: 'scalar' | 'enum' | 'object' | 'unsupported';
  isList: boolean;
  isRequired: boolean;
  isUnique: boolean;
  isId: boolean;
  isUpdatedAt: boolean;
  hasDefaultValue: boolean;
  type: string;
  dbName?: string | null;
  default?: unknown;
  relationName?: string;
  relationFromFields?: string[];
  relationToFields?: string[];
  nativeType?: [string, string[]] | null;
}
interface Datamodel {
  enums: { name: string; dbName?: string | null; values: { name: string; dbName?: string | null }[] }[];
  models: { name: string; dbName: string | null; primaryKey?: { fields: string[] } | null; fields: DatamodelField[] }[];
}

/**
 * Read one Prisma schema (a single file, or every file of a multi-file
 * schema) into facts. Syntax and validation errors from Prisma's own engine
 * come back as located diagnostics.
 */
export function readPrisma(files: readonly SourceFile[]): SchemaFacts {
  const sources = files.map((f) => f.path);
  let datamodel: Datamodel;
  try {
    const params = JSON.stringify({ prismaSchema: files.map((f) => [f.path, f.text]), noColor: false });
    datamodel = getDatamodel(params) as Datamodel;
  } catch (error) {
    return { models: [], enums: [], diagnostics: parsePrismaErrors(error, files), sources };
  }

  const blocks = new Map<string, LocatedBlock>();
  for (const file of files) for (const block of locateBlocks(file.path, file.text)) blocks.set(block.name, block);
  const fallback: SourceLocation = { file: files[0]?.path ?? 'schema.prisma', line: 1, column: 1 };

  const diagnostics: Diagnostic[] = [];
  const models: ModelFacts[] = datamodel.models.map((model) => {
    const block = blocks.get(model.name);
    const modelDocs = parseAnnotations(block?.docs ?? []);
    diagnostics.push(...modelDocs.diagnostics);
    return {
      name: model.name,
      dbName: model.dbName,
      ...(model.primaryKey ? { compoundId: [...model.primaryKey.fields] } : {}),
      annotations: modelDocs.annotations,
      location: block?.location ?? fallback,
      fields: model.fields.map((field): FieldFacts => {
        const located = block?.fields.get(field.name);
        const docs = parseAnnotations(located?.docs ?? []);
        diagnostics.push(...docs.diagnostics);
        const location = located?.location ?? block?.location ?? fallback;
        return {
          name: field.name,
          typeName: field.type,
          kind: field.kind as FieldKind,
          isList: field.isList,
          isRequired: field.isRequired,
          isId: field.isId,
          isUnique: field.isUnique,
          isUpdatedAt: field.isUpdatedAt,
          default: field.hasDefaultValue ? toDefault(field.default) : null,
          dbName: field.dbName ?? null,
          relation:
            field.kind === 'object'
              ? {
                  fromFields: field.relationFromFields ?? [],
                  relationName: field.relationName ?? null,
                  toFields: field.relationToFields ?? [],
                }
              : null,
          annotations: docs.annotations,
          location,
          typeLocation: located?.typeLocation ?? location,
          implicit: false,
          ...(field.nativeType
            ? { nativeType: `${field.nativeType[0]}${field.nativeType[1].length ? `(${field.nativeType[1].join(', ')})` : ''}` }
            : {}),
        };
      }),
    };
  });
  const enums: EnumFacts[] = datamodel.enums.map((e) => ({
    name: e.name,
    values: e.values.map((v) => v.name),
    ...(e.dbName ? { dbName: e.dbName } : {}),
    ...(e.values.some((v) => v.dbName) ? { dbValues: Object.fromEntries(e.values.flatMap((v) => (v.dbName ? [[v.name, v.dbName]] : []))) } : {}),
    location: blocks.get(e.name)?.location ?? fallback,
  }));
  return { models, enums, diagnostics, sources };
}

function toDefault(value: unknown): FieldDefault | null {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return { kind: 'value', value };
  }
  if (value && typeof value === 'object' && 'name' in value && typeof value.name === 'string') {
    return { kind: 'function', name: value.name };
  }
  return null;
}
