import type * as Graphql from 'graphql';
import type { ConstDirectiveNode, DefinitionNode, DocumentNode, FieldDefinitionNode, TypeNode } from 'graphql';
import { DiagnosticCode, diagnostic, type Diagnostic } from '../../diagnostics';
import { lowerFirst } from '../../ir/names';
import { SCALAR_TYPES, type ScalarType, type SourceLocation } from '../../ir/types';
import type { Annotation, AnnotationArg, EnumFacts, FieldFacts, FieldKind, ModelFacts, SchemaFacts } from '../facts';
import { lazyModule } from '../../lazyModule';
import { lineIndex } from '../lineIndex';
import { BASE_ENTITY_INTERFACE, BASE_STATUS_ENUM, baseEntityFields } from './baseEntity';
import { addImpliedSequence, resolveImpliedKeys } from './impliedKeys';

// graphql is loaded by SDL runs only: a Prisma-input run never needs it, and loading it is a third
// of the CLI's start-up (docs/PERFORMANCE.md "Generate"). graphql 16 has no "exports" map, so an
// import resolves to the same CommonJS build as this require (one instance, instanceof holds).
const graphql = lazyModule<typeof Graphql>('graphql');

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

/** How the SDL reader resolves what SDL leaves implicit (from the config). */
export interface GraphqlReadOptions {
  /**
   * Custom scalar -> IR scalar (`{ Date: 'DateTime' }`), for scalars the
   * schema declares beyond the ones trackhub-sync knows.
   */
  scalars?: Readonly<Record<string, string>>;
  /** Suffix of implied relation keys: `project: Project` is held by `project` + suffix. Default `Id`. */
  keySuffix?: string;
}

/** One SDL file: its path as shown in diagnostics, and its text. */
export interface GraphqlFile {
  path: string;
  text: string;
}

interface Located {
  def: DefinitionNode;
  locate: (offset: number | undefined) => SourceLocation;
}

/**
 * Read a set of GraphQL SDL files into facts. The files form one schema: a
 * type may use enums, scalars and object types declared in any of them.
 */
export function readGraphql(files: readonly GraphqlFile[], options: GraphqlReadOptions = {}): SchemaFacts {
  const { GraphQLError, Kind, Source, parse } = graphql();
  const diagnostics: Diagnostic[] = [];
  const sources = files.map((f) => f.path);
  const definitions: Located[] = [];
  for (const file of files) {
    const source = new Source(file.text, file.path);
    let document: DocumentNode;
    try {
      document = parse(source);
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      const at = error.locations?.[0] ?? { line: 1, column: 1 };
      diagnostics.push(
        diagnostic(
          DiagnosticCode.syntax,
          { file: file.path, ...at },
          `GraphQL: ${error.message.replace(/^Syntax Error: /, 'syntax error: ')}`,
          'Fix the SDL so that it parses (graphql-js `parse`).',
        ),
      );
      continue;
    }
    const position = lineIndex(file.text);
    const locate = (offset: number | undefined): SourceLocation => ({
      file: file.path,
      ...(offset === undefined ? { line: 1, column: 1 } : position(offset)),
    });
    for (const def of document.definitions) definitions.push({ def, locate });
  }
  if (diagnostics.length > 0) return { models: [], enums: [], sources, diagnostics };

  const customScalars = new Map<string, ScalarType | null>();
  const enums: EnumFacts[] = [];
  const objectNames = new Set<string>();
  for (const { def, locate } of definitions) {
    if (def.kind === Kind.ENUM_TYPE_DEFINITION && !OWN_TYPES.has(def.name.value)) {
      enums.push({
        name: def.name.value,
        values: (def.values ?? []).map((v) => v.name.value),
        location: locate(def.name.loc?.start),
      });
    }
    if (def.kind === Kind.OBJECT_TYPE_DEFINITION) objectNames.add(def.name.value);
    if (def.kind === Kind.SCALAR_TYPE_DEFINITION && !SCALARS[def.name.value]) {
      const mapped = options.scalars?.[def.name.value];
      customScalars.set(def.name.value, mapped && (SCALAR_TYPES as readonly string[]).includes(mapped) ? (mapped as ScalarType) : null);
    }
  }
  // A configured scalar works even when the SDL uses it without declaring it.
  for (const [name, mapped] of Object.entries(options.scalars ?? {})) {
    if (!customScalars.has(name) && (SCALAR_TYPES as readonly string[]).includes(mapped)) customScalars.set(name, mapped as ScalarType);
  }
  const enumNames = new Set(enums.map((e) => e.name));
  const models: ModelFacts[] = [];

  for (const { def, locate } of definitions) {
    if (def.kind !== Kind.OBJECT_TYPE_DEFINITION) continue;
    if (['Query', 'Mutation', 'Subscription'].includes(def.name.value)) continue;
    const location = locate(def.name.loc?.start);
    const implementsBase = (def.interfaces ?? []).some((i) => i.name.value === BASE_ENTITY_INTERFACE);
    const declared = def.fields ?? [];
    const fields: FieldFacts[] = declared.map((field) => toField(field, locate));
    if (implementsBase) {
      const names = new Set(fields.map((f) => f.name));
      for (const base of baseEntityFields(location)) if (!names.has(base.name)) fields.push(base);
    }
    models.push({
      name: def.name.value,
      dbName: null,
      annotations: annotationsOf(def.directives ?? [], locate),
      fields,
      location,
    });
  }
  resolveImpliedKeys(models, options.keySuffix ?? 'Id');
  for (const model of models) addImpliedSequence(model);
  // `implements CrtBaseEntity` brings its status enum along when the SDL does not declare it.
  if (models.some((m) => m.fields.some((f) => f.implicit && f.name === 'status')) && !enumNames.has(BASE_STATUS_ENUM.name)) {
    enums.push({ ...BASE_STATUS_ENUM, location: { file: files[0]?.path ?? 'schema.graphql', line: 1, column: 1 } });
  }
  return { models, enums, diagnostics, sources };

  function toField(field: FieldDefinitionNode, locate: Located['locate']): FieldFacts {
    const { named, isList, isRequired, namedNode } = unwrap(field.type);
    const scalar = SCALARS[named] ?? customScalars.get(named) ?? undefined;
    const kind: FieldKind = scalar ? 'scalar' : enumNames.has(named) ? 'enum' : objectNames.has(named) ? 'object' : 'unsupported';
    return {
      name: field.name.value,
      typeName: scalar ?? named,
      kind,
      isList,
      isRequired,
      // `id: String!` is as good a key as `id: ID!`: both are strings on the wire.
      isId: field.name.value === 'id' && (named === 'ID' || named === 'String'),
      isUnique: false,
      isUpdatedAt: false,
      default: null,
      dbName: null,
      relation: null,
      annotations: annotationsOf(field.directives ?? [], locate),
      location: locate(field.name.loc?.start),
      typeLocation: locate(namedNode.loc?.start),
      implicit: false,
    };
  }

  function annotationsOf(directives: readonly ConstDirectiveNode[], locate: Located['locate']): Annotation[] {
    return directives.filter((d) => /^sync/i.test(d.name.value)).map((d) => toAnnotation(d, locate));
  }

  function toAnnotation(node: ConstDirectiveNode, locate: Located['locate']): Annotation {
    const raw = node.name.value;
    const name = raw === 'sync' ? 'sync' : `sync.${lowerFirst(raw.replace(/^sync/i, ''))}`;
    const named: Record<string, AnnotationArg> = {};
    const positional: AnnotationArg[] = [];
    for (const arg of node.arguments ?? []) {
      const v = arg.value;
      const value = v.kind === Kind.ENUM || v.kind === Kind.STRING || v.kind === Kind.INT || v.kind === Kind.BOOLEAN ? String(v.value) : '';
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
  const { Kind } = graphql();
  let node = type;
  const isRequired = node.kind === Kind.NON_NULL_TYPE;
  if (node.kind === Kind.NON_NULL_TYPE) node = node.type;
  const isList = node.kind === Kind.LIST_TYPE;
  if (node.kind === Kind.LIST_TYPE) node = node.type;
  if (node.kind === Kind.NON_NULL_TYPE) node = node.type;
  if (node.kind === Kind.LIST_TYPE) return { named: '[nested list]', isList, isRequired, namedNode: node };
  return { named: node.name.value, isList, isRequired, namedNode: node };
}
