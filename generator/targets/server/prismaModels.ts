import type { FieldDefault, Ir, IrEntity, IrEnum, IrField } from '../../ir/types';
import { SEQUENCE_FIELD } from './fieldAccess';

/**
 * Prisma models for the synced types of GraphQL SDL inputs
 * (`server/prisma/models.prisma`). The generated server runs over Prisma
 * Client, and an SDL describes the API, not storage: a project whose synced
 * types come from SDL gets the database models from the generator, each with
 * the change sequence the server needs (`syncSeq`, implied by the SDL reader)
 * and its (scope, syncSeq) index. Relations are carried by their keys only (no
 * foreign-key constraints), so cycles of keys insert in any order. Entities
 * read from Prisma schemas are the user's own models and never appear here.
 */
export function sdlPrismaModels(ir: Ir): string | null {
  const entities = ir.entities.filter((e) => e.location.file.endsWith('.graphql') || e.location.file.endsWith('.gql'));
  if (entities.length === 0) return null;
  const used = new Set(entities.flatMap((e) => e.fields.flatMap((f) => (f.type.kind === 'enum' ? [f.type.enum] : []))));
  const enums = ir.enums.filter((e) => used.has(e.name));
  return [...entities.map(modelBlock), ...enums.map(enumBlock)].join('\n');
}

function modelBlock(entity: IrEntity): string {
  const rows = entity.fields.map((f) => [f.name, typeOf(f), attributesOf(f)] as const);
  const nameWidth = Math.max(...rows.map((r) => r[0].length));
  const typeWidth = Math.max(...rows.map((r) => r[1].length));
  const lines = entity.fields.flatMap((f, i) => {
    const [name, type, attributes] = rows[i]!;
    const line = `  ${name.padEnd(nameWidth)} ${attributes ? `${type.padEnd(typeWidth)} ${attributes}` : type}`.trimEnd();
    return f.ignore ? ['  /// @sync.ignore', line] : [line];
  });
  const hasSequence = entity.fields.some((f) => f.name === SEQUENCE_FIELD);
  const blockAttributes = [
    ...(hasSequence ? [`  @@index([${entity.scope}, ${SEQUENCE_FIELD}])`] : []),
    ...(entity.dbName ? [`  @@map("${entity.dbName}")`] : []),
  ];
  return [`model ${entity.name} {`, ...lines, ...(blockAttributes.length ? ['', ...blockAttributes] : []), '}', ''].join('\n');
}

function typeOf(f: IrField): string {
  const base = f.type.kind === 'enum' ? f.type.enum : f.type.scalar;
  if (f.isList) return `${base}[]`;
  return f.isRequired ? base : `${base}?`;
}

function attributesOf(f: IrField): string {
  const out: string[] = [];
  if (f.isId) out.push('@id');
  if (f.isUnique && !f.isId) out.push('@unique');
  const fallback = f.isId && !f.default ? ({ kind: 'function', name: 'uuid' } as const) : f.default;
  if (fallback && !f.isList)
    out.push(`@default(${defaultOf(fallback, f.type.kind === 'enum' || (f.type.kind === 'scalar' && BARE.has(f.type.scalar)))})`);
  if (f.stampedOnWrite) out.push('@updatedAt');
  if (f.dbName) out.push(`@map("${f.dbName}")`);
  return out.join(' ');
}

/** Types whose Prisma default is written bare (`@default(0)`, `@default(ACTIVE)`), not quoted. */
const BARE = new Set(['Int', 'BigInt', 'Float', 'Decimal', 'Boolean']);

function defaultOf(d: FieldDefault, bare: boolean): string {
  if (d.kind === 'function') return `${d.name}()`;
  if (bare) return String(d.value);
  return typeof d.value === 'string' ? JSON.stringify(d.value) : String(d.value);
}

function enumBlock(e: IrEnum): string {
  return [`enum ${e.name} {`, ...e.values.map((v) => `  ${v}`), '}', ''].join('\n');
}
