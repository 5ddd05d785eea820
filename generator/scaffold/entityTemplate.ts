import { nearest } from '../diagnostics';
import { SCALAR_TYPES, SYNC_STRATEGIES, type SyncStrategy } from '../ir/types';
import { alignFields } from './prismaText';
import { SEQUENCE_DOCS, SEQUENCE_FIELD_LINE, prismaVocabulary, sequenceIndexFields, syncIndexFields } from './vocabulary';

/** One `--fields` entry: `name:Type`, `name:Type?` (optional) or `name:Type[]` (list). */
export interface FieldSpec {
  name: string;
  type: (typeof SCALAR_TYPES)[number];
  optional: boolean;
  list: boolean;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const FIELD_SPEC = /^([a-z][A-Za-z0-9]*):([A-Za-z]+)(\?|\[\])?$/;
const ENTITY_NAME = /^[A-Z][A-Za-z0-9]*$/;

/** Parse `--fields "title:String done:Boolean dueAt:DateTime?"` (spaces or commas between entries). */
export function parseFieldSpecs(text: string): Parsed<FieldSpec[]> {
  const specs: FieldSpec[] = [];
  const base = new Set(prismaVocabulary().baseFields.map((f) => f.name));
  for (const entry of text.split(/[\s,]+/).filter(Boolean)) {
    const match = FIELD_SPEC.exec(entry);
    if (!match) return { ok: false, error: `bad field '${entry}': write name:Type, name:Type? or name:Type[] (camelCase name)` };
    const [, name, type, suffix] = match;
    const known = SCALAR_TYPES.find((t) => t === type);
    if (!known) {
      const near = nearest(type!, SCALAR_TYPES);
      return { ok: false, error: `field '${name}': unknown type '${type}'${near ? ` (did you mean '${near}'?)` : ''}; types: ${SCALAR_TYPES.join(', ')}` };
    }
    if (base.has(name!)) return { ok: false, error: `field '${name}' is a base field; every entity has it already` };
    if (specs.some((s) => s.name === name)) return { ok: false, error: `field '${name}' is given twice` };
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
  const own = fields.map((f) => ({ name: f.name, type: `${f.type}${f.list ? '[]' : f.optional ? '?' : ''}`, rest: '' }));
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

const SDL_SCALAR: Record<FieldSpec['type'], string> = {
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
  const lines = fields.map((f) => {
    const scalar = SDL_SCALAR[f.type];
    return `  ${f.name}: ${f.list ? `[${scalar}!]!` : f.optional ? scalar : `${scalar}!`}`;
  });
  return [`type ${name} implements CrtBaseEntity @sync(strategy: ${SDL_STRATEGY[strategy]}) {`, '  id: ID!', ...lines, '}'].join('\n');
}
