import {
  GraphQLError,
  Kind,
  Source,
  parse,
  type ConstDirectiveNode,
  type DocumentNode,
  type FieldDefinitionNode,
  type TypeNode,
} from 'graphql';
import { DiagnosticCode, diagnostic, type Diagnostic } from '../../diagnostics';
import { lowerFirst } from '../../ir/names';
import type { ScalarType, SourceLocation } from '../../ir/types';
import type { Annotation, AnnotationArg, EnumFacts, FieldFacts, FieldKind, ModelFacts, SchemaFacts } from '../facts';
import { lineIndex } from '../lineIndex';
import { BASE_ENTITY_INTERFACE, BASE_STATUS_ENUM, baseEntityFields } from './baseEntity';

/** GraphQL scalar names and the IR scalar each maps to. */
const SCALARS: Record<string, ScalarType> = {
  ID: 'String',
  String: 'String',
  Int: 'Int',
  Float: 'Float',
  Boolean: 'Boolean',
  DateTime: 'DateTime',
  JSON: 'Json',
  Json: 'Json',
  BigInt: 'BigInt',
  Decimal: 'Decimal',
  Bytes: 'Bytes',
};

/** Our own declarations (schema/directives.graphql), skipped when a user copies them in. */
const OWN_TYPES = new Set(['SyncStrategy', 'SyncDirection', 'SyncMergeRule', BASE_ENTITY_INTERFACE]);

/** Read one GraphQL SDL file into facts. */
export function readGraphql(path: string, text: string): SchemaFacts {
  const source = new Source(text, path);
  let document: DocumentNode;
  try {
    document = parse(source);
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    const at = error.locations?.[0] ?? { line: 1, column: 1 };
    return {
      models: [],
      enums: [],
      sources: [path],
      diagnostics: [
        diagnostic(
          DiagnosticCode.syntax,
          { file: path, ...at },
          `GraphQL: ${error.message.replace(/^Syntax Error: /, 'syntax error: ')}`,
          'Fix the SDL so that it parses (graphql-js `parse`).',
        ),
      ],
    };
  }

  const position = lineIndex(text);
  const locate = (offset: number | undefined): SourceLocation => ({
    file: path,
    ...(offset === undefined ? { line: 1, column: 1 } : position(offset)),
  });
  const diagnostics: Diagnostic[] = [];
  const enums: EnumFacts[] = [];
  const objectNames = new Set<string>();
  for (const def of document.definitions) {
    if (def.kind === Kind.ENUM_TYPE_DEFINITION && !OWN_TYPES.has(def.name.value)) {
      enums.push({
        name: def.name.value,
        values: (def.values ?? []).map((v) => v.name.value),
        location: locate(def.name.loc?.start),
      });
    }
    if (def.kind === Kind.OBJECT_TYPE_DEFINITION) objectNames.add(def.name.value);
  }
  const enumNames = new Set(enums.map((e) => e.name));
  const models: ModelFacts[] = [];

  for (const def of document.definitions) {
    if (def.kind !== Kind.OBJECT_TYPE_DEFINITION) continue;
    if (['Query', 'Mutation', 'Subscription'].includes(def.name.value)) continue;
    const location = locate(def.name.loc?.start);
    const implementsBase = (def.interfaces ?? []).some((i) => i.name.value === BASE_ENTITY_INTERFACE);
    const declared = def.fields ?? [];
    const fields: FieldFacts[] = declared.map((field) => toField(field));
    if (implementsBase) {
      const names = new Set(fields.map((f) => f.name));
      for (const base of baseEntityFields(location)) if (!names.has(base.name)) fields.push(base);
    }
    // Relation keys by convention: `space: Space` is held by `spaceId`.
    for (const field of fields) {
      if (field.kind === 'object' && !field.isList) {
        const key = `${field.name}Id`;
        field.relation = { fromFields: fields.some((f) => f.name === key) ? [key] : [], relationName: null };
      } else if (field.kind === 'object') {
        field.relation = { fromFields: [], relationName: null };
      }
    }
    models.push({
      name: def.name.value,
      dbName: null,
      annotations: annotationsOf(def.directives ?? []),
      fields,
      location,
    });
  }
  // `implements CrtBaseEntity` brings its status enum along when the SDL does not declare it.
  if (models.some((m) => m.fields.some((f) => f.implicit)) && !enumNames.has(BASE_STATUS_ENUM.name)) {
    enums.push({ ...BASE_STATUS_ENUM, location: { file: path, line: 1, column: 1 } });
  }
  return { models, enums, diagnostics, sources: [path] };

  function toField(field: FieldDefinitionNode): FieldFacts {
    const { named, isList, isRequired, namedNode } = unwrap(field.type);
    const kind: FieldKind = SCALARS[named]
      ? 'scalar'
      : enumNames.has(named)
        ? 'enum'
        : objectNames.has(named)
          ? 'object'
          : 'unsupported';
    return {
      name: field.name.value,
      typeName: SCALARS[named] ?? named,
      kind,
      isList,
      isRequired,
      isId: named === 'ID' && field.name.value === 'id',
      isUnique: false,
      isUpdatedAt: false,
      default: null,
      dbName: null,
      relation: null,
      annotations: annotationsOf(field.directives ?? []),
      location: locate(field.name.loc?.start),
      typeLocation: locate(namedNode.loc?.start),
      implicit: false,
    };
  }

  function annotationsOf(directives: readonly ConstDirectiveNode[]): Annotation[] {
    return directives.filter((d) => /^sync/i.test(d.name.value)).map((d) => toAnnotation(d));
  }

  function toAnnotation(node: ConstDirectiveNode): Annotation {
    const raw = node.name.value;
    const name = raw === 'sync' ? 'sync' : `sync.${lowerFirst(raw.replace(/^sync/i, ''))}`;
    const named: Record<string, AnnotationArg> = {};
    const positional: AnnotationArg[] = [];
    for (const arg of node.arguments ?? []) {
      const v = arg.value;
      const value =
        v.kind === Kind.ENUM || v.kind === Kind.STRING || v.kind === Kind.INT || v.kind === Kind.BOOLEAN
          ? String(v.value)
          : '';
      const entry = { value, location: locate(v.loc?.start) };
      // `@syncMerge(rule: COUNTER)` is the SDL spelling of `@sync.merge(counter)`.
      if (name === 'sync.merge' && arg.name.value === 'rule') positional.push(entry);
      else named[arg.name.value] = entry;
    }
    return { name, named, positional, location: locate(node.loc?.start) };
  }
}

function unwrap(type: TypeNode): {
  named: string;
  isList: boolean;
  isRequired: boolean;
  namedNode: TypeNode;
} {
  let node = type;
  const isRequired = node.kind === Kind.NON_NULL_TYPE;
  if (node.kind === Kind.NON_NULL_TYPE) node = node.type;
  const isList = node.kind === Kind.LIST_TYPE;
  if (node.kind === Kind.LIST_TYPE) node = node.type;
  if (node.kind === Kind.NON_NULL_TYPE) node = node.type;
  if (node.kind === Kind.LIST_TYPE) return { named: '[nested list]', isList, isRequired, namedNode: node };
  return { named: node.name.value, isList, isRequired, namedNode: node };
}
