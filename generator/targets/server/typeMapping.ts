import type { IrField } from '../../ir/types';

/**
 * How each IR type appears in the sync API: GraphQL type, TypeScript wire
 * type and zod validator. Wire forms follow docs/PROTOCOL.md: BigInt,
 * Decimal and Bytes travel as strings, DateTime as ISO 8601.
 */
export interface ServerTypeMapping {
  graphql: string;
  ts: string;
  zod: string;
}

export function scalarMapping(field: IrField, enums: ReadonlyMap<string, readonly string[]>): ServerTypeMapping {
  if (field.type.kind === 'enum') {
    const values = enums.get(field.type.enum) ?? [];
    return { graphql: field.type.enum, ts: field.type.enum, zod: `z.enum([${values.map((v) => `'${v}'`).join(', ')}])` };
  }
  switch (field.type.scalar) {
    case 'String':
      return { graphql: field.isId ? 'ID' : 'String', ts: 'string', zod: 'z.string()' };
    case 'Boolean':
      return { graphql: 'Boolean', ts: 'boolean', zod: 'z.boolean()' };
    case 'Int':
      // Prisma's Int is a 32-bit column.
      return { graphql: 'Int', ts: 'number', zod: 'z.int32()' };
    case 'Float':
      return { graphql: 'Float', ts: 'number', zod: 'z.number()' };
    case 'BigInt':
      // Decimal digits within the signed 64-bit range of a BigInt column. zod runs
      // the refinement even after the pattern failed, and BigInt('1.5') throws:
      // the refinement checks the pattern itself first.
      return {
        graphql: 'String',
        ts: 'string',
        zod: "z.string().regex(/^-?\\d{1,19}$/).refine((v) => !/^-?\\d{1,19}$/.test(v) || (BigInt(v) >= -(2n ** 63n) && BigInt(v) < 2n ** 63n), 'out of the 64-bit range')",
      };
    case 'Decimal':
      return { graphql: 'String', ts: 'string', zod: 'z.string().regex(/^-?\\d+(\\.\\d+)?$/)' };
    case 'DateTime':
      return { graphql: 'DateTime', ts: 'string', zod: 'z.iso.datetime({ offset: true })' };
    case 'Json':
      return { graphql: 'JSON', ts: 'JsonValue', zod: 'z.json()' };
    case 'Bytes':
      return { graphql: 'String', ts: 'string', zod: 'z.base64()' };
  }
}

export function fieldMapping(field: IrField, enums: ReadonlyMap<string, readonly string[]>): ServerTypeMapping {
  const m = scalarMapping(field, enums);
  if (!field.isList) return m;
  return { graphql: `[${m.graphql}!]`, ts: `${m.ts.includes(' ') ? `(${m.ts})` : m.ts}[]`, zod: `z.array(${m.zod})` };
}

/** Runtime scalar tag of a field (`SyncScalar` in runtime/server/types.ts). */
export function runtimeType(field: IrField): string {
  return field.type.kind === 'enum' ? 'Enum' : field.type.scalar;
}
