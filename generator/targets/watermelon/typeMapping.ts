import type { IrField } from '../../ir/types';

/**
 * How every IR type is stored in a WatermelonDB column and read back.
 * README.md "Type mapping" documents this table; keep them in step.
 *
 * WatermelonDB columns are string, number or boolean only, and numbers are
 * JS doubles, so anything that must keep exact precision is stored as text.
 */
export interface ColumnMapping {
  columnType: 'string' | 'number' | 'boolean';
  decorator: 'field' | 'date' | 'json';
  /** TypeScript type of the model property, without `| null`. */
  tsType: string;
  /** Sanitizer imported from the runtime for `@json` columns. */
  sanitizer?: string;
}

export function mapField(field: IrField): ColumnMapping {
  if (field.isList) {
    // Scalar lists are stored as a JSON array (text) of their wire form.
    return { columnType: 'string', decorator: 'json', tsType: `${elementType(field)}[]`, sanitizer: 'jsonArray' };
  }
  if (field.type.kind === 'enum') return { columnType: 'string', decorator: 'field', tsType: field.type.enum };
  switch (field.type.scalar) {
    case 'String':
      // @field, not @text: @text trims whitespace, and values must round-trip exactly.
      return { columnType: 'string', decorator: 'field', tsType: 'string' };
    case 'Boolean':
      return { columnType: 'boolean', decorator: 'field', tsType: 'boolean' };
    case 'Int':
    case 'Float':
      return { columnType: 'number', decorator: 'field', tsType: 'number' };
    case 'BigInt':
    case 'Decimal':
      // Decimal digits as text: a double would lose precision past 2^53 / 15 digits.
      return { columnType: 'string', decorator: 'field', tsType: 'string' };
    case 'DateTime':
      // Milliseconds since the epoch, read back as a Date.
      return { columnType: 'number', decorator: 'date', tsType: 'Date' };
    case 'Json':
      return { columnType: 'string', decorator: 'json', tsType: 'JsonValue', sanitizer: 'jsonValue' };
    case 'Bytes':
      // Base64 text, the same form the GraphQL API carries.
      return { columnType: 'string', decorator: 'field', tsType: 'string' };
    default: {
      const unreachable: never = field.type.scalar;
      throw new Error(`unmapped scalar ${String(unreachable)}`);
    }
  }
}

/** Element type of a list, in its JSON (wire) form. */
function elementType(field: IrField): string {
  if (field.type.kind === 'enum') return field.type.enum;
  switch (field.type.scalar) {
    case 'Boolean':
      return 'boolean';
    case 'Int':
    case 'Float':
      return 'number';
    case 'Json':
      return 'JsonValue';
    default:
      // String, BigInt, Decimal, DateTime (ISO 8601), Bytes (base64)
      return 'string';
  }
}
