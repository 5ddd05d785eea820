import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * `DateTime`: ISO 8601 on the wire (docs/PROTOCOL.md). Inputs stay strings
 * (validated), so generic and typed pushes reach the same validators.
 */
export const DateTimeScalar = new GraphQLScalarType<string, string>({
  name: 'DateTime',
  description: 'ISO 8601 date-time in UTC with milliseconds, e.g. 2025-11-05T09:12:34.000Z.',
  serialize(value) {
    if (value instanceof Date) return value.toISOString();
    if (typeof value === 'string' && ISO.test(value)) return value;
    throw new GraphQLError(`DateTime cannot represent ${String(value)}`);
  },
  parseValue(value) {
    if (typeof value === 'string' && ISO.test(value) && !Number.isNaN(Date.parse(value))) return value;
    throw new GraphQLError(`DateTime expects an ISO 8601 string, got ${JSON.stringify(value)}`);
  },
  parseLiteral(ast) {
    if (ast.kind === Kind.STRING && ISO.test(ast.value)) return ast.value;
    throw new GraphQLError('DateTime expects an ISO 8601 string literal');
  },
});

function literalToJson(ast: ValueNode, variables: Record<string, unknown> | null | undefined): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
    case Kind.ENUM:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return ast.values.map((v) => literalToJson(v, variables));
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((f) => [f.name.value, literalToJson(f.value, variables)]));
    case Kind.VARIABLE:
      return variables?.[ast.name.value];
  }
}

/** `JSON`: any JSON value, passed through unchanged. */
export const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value.',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast, variables) => literalToJson(ast, variables),
});
