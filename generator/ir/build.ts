import { DiagnosticCode, diagnostic, suggest, type Diagnostic } from '../diagnostics';
import type { Annotation, FieldFacts, ModelFacts, SchemaFacts } from '../readers/facts';
import { camelFromConstant, lowerFirst, snakeCase, tableName } from './names';
import {
  BASE_FIELDS,
  MERGE_RULE_TABLE,
  MERGE_RULES,
  REQUIRED_BASE_FIELDS,
  SCALAR_TYPES,
  SERVER_MANAGED_FIELDS,
  SYNC_DIRECTIONS,
  SYNC_STRATEGIES,
  type BaseFieldName,
  type BaseFieldNames,
  RENAMABLE_BASE_FIELDS,
  baseField,
  baseFieldName,
  baseRoleOf,
} from '../../protocol/index';
import type { FieldType, Ir, IrEntity, IrEnum, IrField, IrFileSpec, IrRelation, MergeRule, ScalarType, SourceLocation } from './types';
import { baseEntityFields } from '../readers/graphql/baseEntity';
import { validateIr } from './validate';

const ENTITY_ARGS = ['strategy', 'direction', 'table', 'scope'] as const;
const FIELD_ANNOTATIONS = ['ignore', 'readonly', 'merge', 'index', 'file'] as const;
const FILE_ARGS = ['maxBytes', 'accept'] as const;
/** Sizes travel as GraphQL `Int` in the upload ticket (docs/PROTOCOL.md "Media"). */
const MAX_FILE_BYTES = 2 ** 31 - 1;
const MEDIA_TYPE = /^[\w.+-]+\/(\*|[\w.+-]+)$/;

/** Base-field names from the config (`baseFields`): global, then per entity. */
export interface BuildOptions {
  baseFields?: BaseFieldNames & { scope?: string; entities?: Record<string, BaseFieldNames & { scope?: string }> };
}

export interface BuildResult {
  ir: Ir;
  diagnostics: Diagnostic[];
}

/** Candidates in the user's spelling: SDL writes CONSTANT_CASE, Prisma camelCase. */
function spelled(value: string, candidates: readonly string[]): string[] {
  return /^[A-Z][A-Z0-9_]*$/.test(value) ? candidates.map((c) => snakeCase(c).toUpperCase()) : [...candidates];
}

/** Normalise an SDL constant (`LAST_WRITE_WINS`) or a Prisma word (`lastWriteWins`). */
function word(value: string): string {
  return /^[A-Z][A-Z0-9_]*$/.test(value) ? camelFromConstant(value) : value;
}

/** Build the IR from the facts of every input; problems come back as diagnostics. */
export function buildIr(inputs: readonly SchemaFacts[], options: BuildOptions = {}): BuildResult {
  const diagnostics: Diagnostic[] = inputs.flatMap((i) => i.diagnostics);
  const models = new Map<string, ModelFacts>();
  for (const input of inputs) {
    for (const model of input.models) {
      const previous = models.get(model.name);
      if (previous) {
        diagnostics.push(
          diagnostic(
            DiagnosticCode.duplicateEntity,
            model.location,
            `model ${model.name} is declared twice (also at ${previous.location.file}:${previous.location.line})`,
            'Describe each entity in one input only: Prisma or SDL.',
          ),
        );
        continue;
      }
      models.set(model.name, model);
    }
  }
  const enums = new Map(inputs.flatMap((i) => i.enums).map((e) => [e.name, e]));
  const synced = [...models.values()].filter((m) => m.annotations.some((a) => a.name === 'sync'));
  const syncedNames = new Set(synced.map((m) => m.name));

  const entities = synced.map((model) => buildEntity(model, models, syncedNames, diagnostics, namesFor(model.name, options)));
  const usedEnums = new Set(entities.flatMap((e) => e.fields.flatMap((f) => (f.type.kind === 'enum' ? [f.type.enum] : []))));
  const irEnums: IrEnum[] = [...usedEnums].sort().flatMap((name) => {
    const e = enums.get(name);
    return e
      ? [
          {
            name: e.name,
            values: [...e.values],
            ...(e.dbName ? { dbName: e.dbName } : {}),
            ...(e.dbValues ? { dbValues: { ...e.dbValues } } : {}),
            location: e.location,
          },
        ]
      : [];
  });
  for (const e of irEnums) {
    if (e.values.length === 0) {
      diagnostics.push(
        diagnostic(
          DiagnosticCode.emptyEnum,
          e.location,
          `enum ${e.name} has no values`,
          `A synced field needs at least one value to hold: add the values, or mark the fields that use it ${isSdl(e.location) ? '@syncIgnore' : '@sync.ignore'}.`,
        ),
      );
    }
  }
  const ir: Ir = { entities, enums: irEnums, sources: inputs.flatMap((i) => i.sources) };
  diagnostics.push(...validateIr(ir));
  return { ir: deepFreeze(ir), diagnostics };
}

/** The renamed base fields of one entity (identity mappings dropped) and its default scope. */
function namesFor(entity: string, options: BuildOptions): { names: BaseFieldNames | undefined; scope: string | undefined } {
  const { entities, scope, ...global } = options.baseFields ?? {};
  const own = entities?.[entity] ?? {};
  const { scope: ownScope, ...ownNames } = own;
  const merged: BaseFieldNames = { ...global, ...ownNames };
  const names: BaseFieldNames = {};
  for (const role of RENAMABLE_BASE_FIELDS) if (merged[role] !== undefined && merged[role] !== role) names[role] = merged[role];
  return { names: Object.keys(names).length > 0 ? names : undefined, scope: ownScope ?? scope };
}

/**
 * `implements CrtBaseEntity` brings the base fields under their protocol
 * names; a renamed role's field takes the configured name instead (dropped
 * when the type declares that name itself).
 */
function renameImplicitBaseFields(model: ModelFacts, names: BaseFieldNames | undefined): ModelFacts {
  // Only a type that implements CrtBaseEntity (implied keys and syncSeq are implicit too, but never these names).
  const fromInterface = ['clientId', 'version', 'updatedAt', 'deletedAt', 'status', 'createdAt', 'createdBy', 'updatedBy'];
  if (!names || !model.fields.some((f) => f.implicit && fromInterface.includes(f.name))) return model;
  const declared = new Set(model.fields.filter((f) => !f.implicit).map((f) => f.name));
  const fields = model.fields.flatMap((f) => {
    const renamed = f.implicit ? names[f.name as keyof BaseFieldNames] : undefined;
    if (renamed === undefined) return [f];
    return declared.has(renamed) ? [] : [{ ...f, name: renamed }];
  });
  // A role whose protocol name the type declares itself (`version: String`, a user field) was not implied by the reader.
  for (const base of baseEntityFields(model.location)) {
    const renamed = names[base.name as keyof BaseFieldNames];
    if (renamed !== undefined && !fields.some((f) => f.name === renamed)) fields.push({ ...base, name: renamed });
  }
  return { ...model, fields };
}

function buildEntity(
  facts: ModelFacts,
  models: ReadonlyMap<string, ModelFacts>,
  synced: ReadonlySet<string>,
  out: Diagnostic[],
  naming: { names: BaseFieldNames | undefined; scope: string | undefined },
): IrEntity {
  const names = naming.names;
  const model = renameImplicitBaseFields(facts, names);
  const sync = model.annotations.find((a) => a.name === 'sync')!;
  for (const a of model.annotations) {
    if (a.name !== 'sync') {
      out.push(
        diagnostic(
          DiagnosticCode.unknownAnnotation,
          a.location,
          `model ${model.name}: @${a.name} is a field annotation`,
          'On a model use @sync(strategy: ..., direction: ..., table: ..., scope: ...).',
        ),
      );
    }
  }
  for (const p of sync.positional) {
    out.push(
      diagnostic(
        DiagnosticCode.annotationSyntax,
        p.location,
        `model ${model.name}: @sync takes named arguments, got '${p.value}'`,
        `Write @sync(strategy: ${p.value}) or another named argument: ${ENTITY_ARGS.join(', ')}.`,
      ),
    );
  }
  for (const [key, arg] of Object.entries(sync.named)) {
    if (!(ENTITY_ARGS as readonly string[]).includes(key)) {
      out.push(
        diagnostic(DiagnosticCode.unknownAnnotation, arg.location, `model ${model.name}: unknown @sync argument '${key}'`, suggest(key, ENTITY_ARGS)),
      );
    }
  }
  const strategy = choice(sync, 'strategy', SYNC_STRATEGIES, 'lastWriteWins', DiagnosticCode.unknownStrategy, model, out);
  const direction = choice(sync, 'direction', SYNC_DIRECTIONS, 'bidirectional', DiagnosticCode.unknownDirection, model, out);
  const scope = sync.named.scope?.value ?? naming.scope ?? 'tenantId';

  const fieldNames = new Set(model.fields.map((f) => f.name));
  for (const required of REQUIRED_BASE_FIELDS) {
    const name = required === 'id' ? required : baseFieldName(required, names);
    if (!fieldNames.has(name)) {
      const declaration = baseField(required)!.prisma;
      out.push(
        diagnostic(
          DiagnosticCode.missingBaseField,
          model.location,
          `model ${model.name}: missing required base field '${name}'${name === required ? '' : ` (plays ${required}, config baseFields)`}`,
          `Add \`${name === required ? declaration : declaration.replace(required, name)}\` (see schema/base-fields.prisma) or implement CrtBaseEntity in SDL.`,
        ),
      );
    }
  }
  if (!fieldNames.has(scope)) {
    out.push(
      diagnostic(
        DiagnosticCode.unknownScope,
        sync.named.scope?.location ?? model.location,
        `model ${model.name}: scope field '${scope}' does not exist`,
        sync.named.scope
          ? suggest(scope, [...fieldNames])
          : 'Add the base field `tenantId String?`, or name another isolation field with @sync(scope: ...).',
      ),
    );
  }

  const idField = model.fields.find((f) => f.name === 'id');
  if (model.compoundId || (idField && !idField.isId && !idField.implicit && !isSdl(idField.location))) {
    const compound = model.compoundId ? `compound primary key (${model.compoundId.join(', ')})` : `primary key is not \`id\``;
    out.push(
      diagnostic(
        DiagnosticCode.unsupportedId,
        model.location,
        `model ${model.name}: ${compound}; the device needs one String key named id`,
        `Make \`id String @id @default(uuid())\` the primary key${model.compoundId ? ` and keep the pair unique with @@unique([${model.compoundId.join(', ')}])` : ' and keep the old key with @unique'}.`,
      ),
    );
  }

  const scalarFacts = model.fields.filter((f) => f.kind !== 'object');
  const fields = scalarFacts
    .map((f) => buildField(model, f, out, baseRoleOf(f.name, names)))
    .filter((f): f is IrField => f !== null)
    .sort((a, b) => baseRank(a) - baseRank(b));
  const relations = model.fields
    .filter((f) => f.kind === 'object')
    .map((f) => buildRelation(model, f, models, synced, out))
    .filter((r): r is IrRelation => r !== null);
  // Keys of belongsTo relations are indexed locally: WatermelonDB queries children by them.
  const keys = new Set(relations.filter((r) => r.kind === 'belongsTo').map((r) => r.foreignKey));
  const immutableKeys = new Set(relations.filter((r) => r.immutable).map((r) => r.foreignKey));
  return {
    name: model.name,
    table: sync.named.table?.value ?? tableName(model.name),
    dbName: model.dbName,
    strategy,
    direction,
    scope,
    ...(names ? { baseFields: names } : {}),
    fields: fields.map((f) => (keys.has(f.name) || immutableKeys.has(f.name) ? { ...f, index: true } : f)),
    relations,
    location: model.location,
  };
}

function baseRank(field: IrField): number {
  if (!field.isBase) return BASE_FIELDS.length;
  const i = (BASE_FIELDS as readonly string[]).indexOf(field.baseRole ?? field.name);
  return i >= 0 ? i : BASE_FIELDS.length;
}

function choice<T extends string>(
  sync: Annotation,
  key: string,
  allowed: readonly T[],
  fallback: T,
  code: Diagnostic['code'],
  model: ModelFacts,
  out: Diagnostic[],
): T {
  const arg = sync.named[key];
  if (!arg) return fallback;
  const value = word(arg.value);
  if ((allowed as readonly string[]).includes(value)) return value as T;
  out.push(diagnostic(code, arg.location, `model ${model.name}: unknown ${key} '${arg.value}'`, suggest(arg.value, spelled(arg.value, allowed))));
  return fallback;
}

function buildField(model: ModelFacts, f: FieldFacts, out: Diagnostic[], role: BaseFieldName | null): IrField | null {
  const where = `model ${model.name} › field ${f.name}`;
  let type: FieldType | null = null;
  if (f.kind === 'enum') type = { kind: 'enum', enum: f.typeName };
  else if (f.kind === 'scalar' && (SCALAR_TYPES as readonly string[]).includes(f.typeName)) {
    type = { kind: 'scalar', scalar: f.typeName as ScalarType };
  }
  if (!type) {
    // An ignored field never reaches the device or the wire: any server type is fine.
    if (f.annotations.some((a) => a.name === 'sync.ignore')) return null;
    out.push(
      diagnostic(
        DiagnosticCode.unsupportedType,
        f.typeLocation,
        `${where}: unsupported type '${f.typeName}'`,
        isSdl(f.location) && /^\w+$/.test(f.typeName)
          ? `Synced fields use ${SCALAR_TYPES.join(', ')}, an enum, or a relation to a synced type; map a custom scalar in the config (\`"scalars": { "${f.typeName}": "String" }\`) or mark server-only fields @syncIgnore.`
          : `Synced fields use ${SCALAR_TYPES.join(', ')}, an enum, or a relation to a synced entity; mark server-only fields ${isSdl(f.location) ? '@syncIgnore' : '@sync.ignore'}.`,
      ),
    );
    return null;
  }
  const isBase = role !== null;
  const expected = role ? baseField(role)?.type : undefined;
  if (isBase && !f.implicit) {
    const actual = type.kind === 'enum' ? 'enum' : type.scalar;
    const ok = expected === 'enumOrString' ? actual === 'enum' || actual === 'String' : actual === expected;
    if (!ok || f.isList) {
      out.push(
        diagnostic(
          DiagnosticCode.baseFieldType,
          f.typeLocation,
          `${where}: base field '${f.name}'${role && role !== f.name ? ` (plays ${role})` : ''} must be ${expected === 'enumOrString' ? 'an enum or String' : (expected ?? 'String')}, not ${f.typeName}${f.isList ? '[]' : ''}`,
          role === 'id'
            ? 'The device keys every record by one String id: make it `id String @id @default(uuid())` and keep the old key under another name with @unique.'
            : 'Base fields follow CrtBaseEntity (schema/base-fields.prisma).',
        ),
      );
    }
  }

  let ignore = false;
  let readonly = false;
  let index = false;
  let merge: MergeRule = 'lww';
  let file: { spec: IrFileSpec; annotation: Annotation } | null = null;
  for (const a of f.annotations) {
    const kind = a.name.replace(/^sync\.?/, '');
    switch (kind) {
      case 'ignore':
        ignore = true;
        break;
      case 'readonly':
        readonly = true;
        break;
      case 'index':
        index = true;
        break;
      case 'file':
        file = { spec: fileSpec(where, a, out), annotation: a };
        break;
      case 'merge': {
        const arg = a.positional[0] ?? a.named.rule;
        const rule = arg ? word(arg.value) : '';
        if ((MERGE_RULES as readonly string[]).includes(rule)) {
          merge = rule as MergeRule;
          checkRuleType(where, merge, type, f, a, out);
        } else {
          out.push(
            diagnostic(
              DiagnosticCode.unknownMergeRule,
              arg?.location ?? a.location,
              `${where}: unknown merge rule '${arg?.value ?? ''}'`,
              suggest(arg?.value ?? '', spelled(arg?.value ?? '', MERGE_RULES)),
            ),
          );
        }
        break;
      }
      default:
        out.push(
          diagnostic(
            DiagnosticCode.unknownAnnotation,
            a.location,
            a.name === 'sync' ? `${where}: @sync belongs on the model` : `${where}: unknown annotation @${a.name}`,
            a.name === 'sync'
              ? 'Field annotations are @sync.ignore, @sync.readonly, @sync.merge(rule), @sync.index, @sync.file.'
              : suggest(kind, FIELD_ANNOTATIONS),
          ),
        );
    }
  }
  if (file) checkFileField(where, f, type, { isBase, ignore, merge }, file.annotation, out);
  return {
    name: f.name,
    column: snakeCase(f.name),
    dbName: f.dbName,
    type,
    isList: f.isList,
    isRequired: f.isRequired,
    isId: f.isId,
    isUnique: f.isUnique,
    isBase,
    ...(role && role !== f.name ? { baseRole: role } : {}),
    // BigInt and Decimal travel as exact decimal strings (docs/PROTOCOL.md "Values on the wire"), defaults too.
    default:
      f.default?.kind === 'value' &&
      typeof f.default.value === 'number' &&
      type.kind === 'scalar' &&
      (type.scalar === 'BigInt' || type.scalar === 'Decimal')
        ? { kind: 'value', value: String(f.default.value) }
        : f.default,
    serverManaged: (role !== null && SERVER_MANAGED_FIELDS.has(role)) || f.isUpdatedAt,
    ignore,
    readonly,
    merge,
    index,
    ...(f.nativeType ? { nativeType: f.nativeType } : {}),
    ...(f.isUpdatedAt && role !== 'updatedAt' ? { stampedOnWrite: true as const } : {}),
    ...(file ? { file: file.spec } : {}),
    location: f.location,
  };
}

/** The arguments of `@sync.file(maxBytes: N, accept: "type/sub,...")`; bad ones are reported and left out. */
function fileSpec(where: string, a: Annotation, out: Diagnostic[]): IrFileSpec {
  const sdl = isSdl(a.location);
  const spec: IrFileSpec = {};
  for (const p of a.positional) {
    out.push(
      diagnostic(
        DiagnosticCode.annotationSyntax,
        p.location,
        `${where}: ${sdl ? '@syncFile' : '@sync.file'} takes named arguments, got '${p.value}'`,
        sdl ? 'Write @syncFile(maxBytes: 10485760, accept: "image/*").' : 'Write @sync.file(maxBytes: 10485760, accept: "image/*").',
      ),
    );
  }
  for (const [key, arg] of Object.entries(a.named)) {
    if (key === 'maxBytes') {
      const n = /^\d+$/.test(arg.value) ? Number(arg.value) : Number.NaN;
      if (Number.isSafeInteger(n) && n > 0 && n <= MAX_FILE_BYTES) spec.maxBytes = n;
      else {
        out.push(
          diagnostic(
            DiagnosticCode.fileField,
            arg.location,
            `${where}: maxBytes '${arg.value}' is not a size in bytes`,
            `maxBytes is a whole number of bytes from 1 to ${MAX_FILE_BYTES} (2 GiB - 1: sizes travel as GraphQL Int).`,
          ),
        );
      }
    } else if (key === 'accept') {
      const types = arg.value
        .split(',')
        .map((t) => t.trim().toLowerCase())
        .filter((t) => t !== '');
      const bad = types.filter((t) => !MEDIA_TYPE.test(t));
      if (types.length === 0 || bad.length > 0) {
        out.push(
          diagnostic(
            DiagnosticCode.fileField,
            arg.location,
            `${where}: accept '${arg.value}' is not a list of media types`,
            'List media types or type wildcards, separated by commas: accept: "image/*,application/pdf".',
          ),
        );
      } else spec.accept = types;
    } else {
      out.push(diagnostic(DiagnosticCode.unknownAnnotation, arg.location, `${where}: unknown file argument '${key}'`, suggest(key, FILE_ARGS)));
    }
  }
  return spec;
}

/** A file field holds one object key: a plain, synced, client-settable String (docs/PROTOCOL.md "Media"). */
function checkFileField(
  where: string,
  f: FieldFacts,
  type: FieldType,
  traits: { isBase: boolean; ignore: boolean; merge: MergeRule },
  a: Annotation,
  out: Diagnostic[],
): void {
  const sdl = isSdl(f.location);
  const name = sdl ? '@syncFile' : '@sync.file';
  const problem =
    type.kind !== 'scalar' || type.scalar !== 'String' || f.isList
      ? {
          at: f.typeLocation,
          message: `${name} needs a String field, not ${f.typeName}${f.isList ? '[]' : ''}`,
          hint: `A file field holds one object key: declare it as \`${f.name}${sdl ? ': String' : ' String?'}\`.`,
        }
      : traits.isBase
        ? {
            at: a.location,
            message: `base field '${f.name}' cannot hold a file`,
            hint: 'Add a field of its own for the object key, e.g. receiptKey.',
          }
        : traits.ignore
          ? {
              at: a.location,
              message: `${name} on an ignored field: the key would never reach the device`,
              hint: `Remove ${sdl ? '@syncIgnore' : '@sync.ignore'} or ${name}.`,
            }
          : traits.merge !== 'lww'
            ? {
                at: a.location,
                message: `${name} with merge rule '${traits.merge}': a file key is replaced whole, never merged`,
                hint: `Remove ${sdl ? '@syncMerge' : '@sync.merge'} from the file field (lww applies).`,
              }
            : null;
  if (problem) out.push(diagnostic(DiagnosticCode.fileField, problem.at, `${where}: ${problem.message}`, problem.hint));
}

/** A merge rule must fit the field's wire type (protocol/mergeRules.ts); the runtime executes it exactly. */
function checkRuleType(where: string, rule: MergeRule, type: FieldType, f: FieldFacts, a: Annotation, out: Diagnostic[]): void {
  const spec = MERGE_RULE_TABLE[rule];
  if (!spec.fits({ scalar: type.kind === 'scalar' ? type.scalar : 'Enum', isList: f.isList })) {
    out.push(
      diagnostic(
        DiagnosticCode.mergeRuleType,
        a.location,
        `${where}: merge rule '${rule}' needs ${spec.fitsText}, not ${f.typeName}${f.isList ? '[]' : ''}`,
        'Pick a rule that fits the type, or lww.',
      ),
    );
  }
}

function buildRelation(
  model: ModelFacts,
  f: FieldFacts,
  models: ReadonlyMap<string, ModelFacts>,
  synced: ReadonlySet<string>,
  out: Diagnostic[],
): IrRelation | null {
  const where = `model ${model.name} › field ${f.name}`;
  if (f.annotations.some((a) => a.name === 'sync.ignore')) return null;
  if (!synced.has(f.typeName)) {
    out.push(
      diagnostic(
        DiagnosticCode.relationToUnsynced,
        f.typeLocation,
        `${where}: relation to ${f.typeName}, which is not synced`,
        `Annotate ${f.typeName} with @sync, or mark this field @sync.ignore.`,
      ),
    );
    return null;
  }
  const target = models.get(f.typeName)!;
  const sdl = isSdl(f.location);
  const fromFields = f.relation?.fromFields ?? [];
  if (fromFields.length > 1) {
    out.push(
      diagnostic(
        DiagnosticCode.unsupportedRelation,
        f.location,
        `${where}: composite foreign key (${fromFields.join(', ')})`,
        `The device relates records by one String id: add \`${lowerFirst(f.name)}Id String\` and relate with @relation(fields: [${lowerFirst(f.name)}Id], references: [id]); keep the composite pair as plain fields (or @@unique) if the server needs it.`,
      ),
    );
    return null;
  }
  if (fromFields.length === 1) {
    const toFields = f.relation?.toFields ?? [];
    if (toFields.length > 0 && (toFields.length !== 1 || toFields[0] !== 'id')) {
      out.push(
        diagnostic(
          DiagnosticCode.unsupportedRelation,
          f.location,
          `${where}: the key refers to ${f.typeName}.${toFields.join(', ')}, not to its id`,
          `Synced keys hold the related record's id (translated between local and server ids): use references: [id].`,
        ),
      );
      return null;
    }
    const key = model.fields.find((k) => k.name === fromFields[0]);
    return {
      name: f.name,
      kind: 'belongsTo',
      target: f.typeName,
      foreignKey: fromFields[0]!,
      immutable: key?.annotations.some((a) => a.name === 'sync.readonly') ?? false,
      isRequired: f.isRequired,
      location: f.location,
    };
  }
  // No key here: the key is on the other side (has-many, or the back side of a one-to-one).
  const back = target.fields.filter(
    (t) => t !== f && t.kind === 'object' && t.typeName === model.name && !t.annotations.some((a) => a.name === 'sync.ignore'),
  );
  const name = f.relation?.relationName ?? null;
  const inverse = name === null ? undefined : back.find((t) => t.relation?.relationName === name && (t.relation?.fromFields.length ?? 0) === 1);
  if (inverse) {
    return {
      name: f.name,
      kind: 'hasMany',
      target: f.typeName,
      foreignKey: inverse.relation!.fromFields[0]!,
      immutable: false,
      isRequired: false,
      location: f.location,
    };
  }
  // The other side's key is composite: reported there (TS114) once.
  if (name !== null && back.some((t) => t.relation?.relationName === name && (t.relation?.fromFields.length ?? 0) > 1)) return null;
  const list = back.find((t) => t.isList && (name === null || t.relation?.relationName === name));
  if (f.isList && list) {
    out.push(
      diagnostic(
        DiagnosticCode.unsupportedRelation,
        f.location,
        `${where}: implicit many-to-many relation between ${model.name} and ${f.typeName} (lists on both sides) is not synced`,
        `Write the join entity and sync it: ${joinModelHint(model.name, f.typeName, sdl)}`,
      ),
    );
    return null;
  }
  const singles = back.filter((t) => !t.isList);
  out.push(
    diagnostic(
      DiagnosticCode.unsupportedRelation,
      f.location,
      singles.length > 1
        ? `${where}: ${f.typeName} has several fields pointing to ${model.name} (${singles.map((t) => t.name).join(', ')}); which one this list follows is ambiguous`
        : `${where}: no key relates ${model.name} and ${f.typeName}`,
      sdl
        ? singles.length > 1
          ? `Name the field this list follows: \`${f.name}: [${f.typeName}!]! @syncRelation(field: "${singles[0]!.name}")\`.`
          : `Add \`${lowerFirst(model.name)}: ${model.name}\` to ${f.typeName}, or mark the list @syncIgnore.`
        : `Declare the key on one side: \`${lowerFirst(model.name)}Id String\` with \`${lowerFirst(model.name)} ${model.name} @relation(fields: [${lowerFirst(model.name)}Id], references: [id])\` on ${f.typeName}.`,
    ),
  );
  return null;
}

/** The explicit join entity to write instead of an implicit many-to-many. */
function joinModelHint(a: string, b: string, sdl: boolean): string {
  const [first, second] = [a, b].sort();
  const join = `${first}${second}`;
  const ka = lowerFirst(first!);
  const kb = lowerFirst(second!);
  return sdl
    ? `\`type ${join} implements CrtBaseEntity @sync { ${ka}: ${first}! ${kb}: ${second}! }\` and \`${lowerFirst(join)}s: [${join}!]!\` on ${first} and ${second} instead of the lists.`
    : `\`/// @sync model ${join} { <base fields> ${ka}Id String ${ka} ${first} @relation(fields: [${ka}Id], references: [id]) ${kb}Id String ${kb} ${second} @relation(fields: [${kb}Id], references: [id]) @@unique([${ka}Id, ${kb}Id]) }\` and \`${lowerFirst(join)}s ${join}[]\` on ${first} and ${second} instead of the lists.`;
}

function isSdl(at: SourceLocation): boolean {
  return at.file.endsWith('.graphql') || at.file.endsWith('.gql');
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
