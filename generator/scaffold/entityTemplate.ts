import { nearest } from '../diagnostics';
import { SCALAR_TYPES, SYNC_STRATEGIES, type SyncStrategy } from '../ir/types';
import { alignFields } from './prismaText';
import { SEQUENCE_DOCS, SEQUENCE_FIELD_LINE, prismaVocabulary, sequenceIndexFields, syncIndexFields } from './vocabulary';

/** One `--fields` entry: `name:Type`, `name:Type?` (optional) or `name:Type[]` (list). */
export interface ScalarFieldSpec {
  name: string;
  type: (typeof SCALAR_TYPES)[number];
  optional: boolean;
  list: boolean;
}

/**
 * `name:Entity` / `name:Entity?`: a belongs-to relation to an entity of the
 * schema, held by the key column `<name>Id` (the device stores the parent's
 * local id there and the client engine translates it; README "Type mapping").
 */
export interface RelationFieldSpec {
  name: string;
  relation: string;
  optional: boolean;
}

export type FieldSpec = ScalarFieldSpec | RelationFieldSpec;

export function isRelationSpec(spec: FieldSpec): spec is RelationFieldSpec {
  return 'relation' in spec;
}

/** The key column of a relation field: `task` is held by `taskId`. */
export function relationKey(spec: RelationFieldSpec): string {
  return `${spec.name}Id`;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const FIELD_SPEC = /^([a-z][A-Za-z0-9]*):([A-Za-z]+)(\?|\[\])?$/;
const ENTITY_NAME = /^[A-Z][A-Za-z0-9]*$/;

/**
 * Parse `--fields "title:String done:Boolean dueAt:DateTime? task:Task?"`
 * (spaces or commas between entries). A type naming one of `entities` is a
 * relation to it.
 */
export function parseFieldSpecs(text: string, entities: ReadonlySet<string> = new Set()): Parsed<FieldSpec[]> {
  const specs: FieldSpec[] = [];
  const base = new Set(prismaVocabulary().baseFields.map((f) => f.name));
  const taken = (name: string) => specs.some((s) => s.name === name || (isRelationSpec(s) && relationKey(s) === name));
  for (const entry of text.split(/[\s,]+/).filter(Boolean)) {
    const match = FIELD_SPEC.exec(entry);
    if (!match) return { ok: false, error: `bad field '${entry}': write name:Type, name:Type?, name:Type[] or name:Entity? (camelCase name)` };
    const [, name, type, suffix] = match;
    if (base.has(name!)) return { ok: false, error: `field '${name}' is a base field; every entity has it already` };
    if (taken(name!)) return { ok: false, error: `field '${name}' is given twice` };
    if (entities.has(type!)) {
      const spec: RelationFieldSpec = { name: name!, relation: type!, optional: suffix === '?' };
      if (suffix === '[]')
        return {
          ok: false,
          error: `field '${name}': a list of ${type} is the other side of ${type}'s own relation; declare it there as 'x:${'<this entity>'}'`,
        };
      if (base.has(relationKey(spec)) || taken(relationKey(spec)))
        return { ok: false, error: `field '${name}': its key column ${relationKey(spec)} is already a field; name the relation differently` };
      if (specs.some((s) => isRelationSpec(s) && s.relation === type))
        return { ok: false, error: `field '${name}': a second relation to ${type} is not supported (TS114)` };
      specs.push(spec);
      continue;
    }
    const known = SCALAR_TYPES.find((t) => t === type);
    if (!known) {
      const choices = [...SCALAR_TYPES, ...entities];
      const near = nearest(type!, choices);
      return {
        ok: false,
        error: `field '${name}': unknown type '${type}'${near ? ` (did you mean '${near}'?)` : ''}; types: ${SCALAR_TYPES.join(', ')}, or an entity of the schema`,
      };
    }
    specs.push({ name: name!, type: known, optional: suffix === '?', list: suffix === '[]' });
  }
  return { ok: true, value: specs };
}

export function checkEntityName(name: string): string | null {
  return ENTITY_NAME.test(name) ? null : `entity name '${name}' must be PascalCase (letters and digits, starting with a capital)`;
}

export function parseStrategy(value: string | undefined): Parsed<SyncStrategy> {
  if (value === undefined) return { ok: true, value: 'lastWriteWins' };
  const known = SYNC_STRATEGIES.find((s) => s === value);
  if (known) return { ok: true, value: known };
  const near = nearest(value, SYNC_STRATEGIES);
  return { ok: false, error: `unknown strategy '${value}'${near ? ` (did you mean '${near}'?)` : ''}; strategies: ${SYNC_STRATEGIES.join(', ')}` };
}

/**
 * An annotated Prisma model with every base field (schema/base-fields.prisma),
 * the server's change sequence (`syncSeq`), the entity's own fields and both
 * indexes, aligned as `prisma format` does.
 */
export function prismaModel(name: string, strategy: SyncStrategy, fields: readonly FieldSpec[]): string {
  const indent = '  ';
  const own = fields.flatMap((f) =>
    isRelationSpec(f)
      ? [
          { name: relationKey(f), type: `String${f.optional ? '?' : ''}`, rest: '' },
          { name: f.name, type: `${f.relation}${f.optional ? '?' : ''}`, rest: `@relation(fields: [${relationKey(f)}], references: [id])` },
        ]
      : [{ name: f.name, type: `${f.type}${f.list ? '[]' : f.optional ? '?' : ''}`, rest: '' }],
  );
  const base = prismaVocabulary().baseFields.map((f) => ({ name: f.name, type: f.type, rest: f.rest }));
  const lines = alignFields([...base, SEQUENCE_FIELD_LINE, ...own], indent);
  return [
    `/// @sync(strategy: ${strategy})`,
    `model ${name} {`,
    ...lines.slice(0, base.length),
    ...SEQUENCE_DOCS.map((doc) => `${indent}${doc}`),
    lines[base.length]!,
    ...(own.length ? ['', ...lines.slice(base.length + 1)] : []),
    '',
    `${indent}@@index([${syncIndexFields('tenantId').join(', ')}])`,
    `${indent}@@index([${sequenceIndexFields('tenantId').join(', ')}])`,
    '}',
  ].join('\n');
}

const SDL_STRATEGY: Record<SyncStrategy, string> = {
  lastWriteWins: 'LAST_WRITE_WINS',
  serverMerge: 'SERVER_MERGE',
  manual: 'MANUAL',
};

const SDL_SCALAR: Record<ScalarFieldSpec['type'], string> = {
  String: 'String',
  Int: 'Int',
  Float: 'Float',
  Boolean: 'Boolean',
  DateTime: 'DateTime',
  Json: 'JSON',
  BigInt: 'BigInt',
  Decimal: 'Decimal',
  Bytes: 'Bytes',
};

/** An annotated SDL type: `implements CrtBaseEntity` brings the base fields. */
export function sdlType(name: string, strategy: SyncStrategy, fields: readonly FieldSpec[]): string {
  const lines = fields.flatMap((f) => {
    // SDL relations by convention: `task: Task` is held by `taskId` (readers/graphql).
    if (isRelationSpec(f)) return [`  ${relationKey(f)}: ID${f.optional ? '' : '!'}`, `  ${f.name}: ${f.relation}${f.optional ? '' : '!'}`];
    const scalar = SDL_SCALAR[f.type];
    return `  ${f.name}: ${f.list ? `[${scalar}!]!` : f.optional ? scalar : `${scalar}!`}`;
  });
  return [`type ${name} implements CrtBaseEntity @sync(strategy: ${SDL_STRATEGY[strategy]}) {`, '  id: ID!', ...lines, '}'].join('\n');
}
