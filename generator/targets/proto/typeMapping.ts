import { snakeCase } from '../../ir/names';
import type { IrField } from '../../ir/types';

/**
 * How each IR type is carried in `sync.proto` messages. README.md "Proto"
 * documents this table; keep them in step.
 */
export interface ProtoType {
  /** Type as written in the .proto (`int32`, `google.protobuf.Timestamp`, `Priority`). */
  type: string;
  /** Scalars and enums get explicit presence (`optional`) when nullable; message types always have it. */
  isMessage: boolean;
  /** Well-known-type import the type needs, if any. */
  import: string | null;
}

export const TIMESTAMP_IMPORT = 'google/protobuf/timestamp.proto';
export const STRUCT_IMPORT = 'google/protobuf/struct.proto';
export const FIELD_MASK_IMPORT = 'google/protobuf/field_mask.proto';

export function protoType(field: IrField): ProtoType {
  const plain = (type: string): ProtoType => ({ type, isMessage: false, import: null });
  if (field.type.kind === 'enum') return plain(protoEnumName(field.type.enum));
  switch (field.type.scalar) {
    case 'String':
      return plain('string');
    case 'Boolean':
      return plain('bool');
    case 'Int':
      // GraphQL Int and Prisma Int are 32-bit.
      return plain('int32');
    case 'Float':
      return plain('double');
    case 'BigInt':
      // A native 64-bit integer; proto3's JSON mapping prints int64 as a
      // decimal string, the same form the GraphQL API carries.
      return plain('int64');
    case 'Decimal':
      // No exact decimal type in protobuf: decimal digits as text, as on the GraphQL wire.
      return plain('string');
    case 'DateTime':
      return { type: 'google.protobuf.Timestamp', isMessage: true, import: TIMESTAMP_IMPORT };
    case 'Json':
      // Value, not Struct: a Json field may hold any JSON value (arrays, strings, null).
      return { type: 'google.protobuf.Value', isMessage: true, import: STRUCT_IMPORT };
    case 'Bytes':
      return plain('bytes');
    default: {
      const unreachable: never = field.type.scalar;
      throw new Error(`unmapped scalar ${String(unreachable)}`);
    }
  }
}

/** Proto enums are PascalCase (buf ENUM_PASCAL_CASE): `E_COMMON_STATUS` -> `ECommonStatus`, `Priority` stays. */
export function protoEnumName(name: string): string {
  if (/^[A-Z][A-Za-z0-9]*$/.test(name) && /[a-z]/.test(name)) return name;
  return name
    .split(/[_\s-]+/)
    .filter(Boolean)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1).toLowerCase())
    .join('');
}

/** Prefix of an enum's values (buf ENUM_VALUE_PREFIX): `ECommonStatus` -> `E_COMMON_STATUS_`. */
export function enumValuePrefix(protoName: string): string {
  return `${snakeCase(protoName).toUpperCase()}_`;
}

/** `ACTIVE` -> `E_COMMON_STATUS_ACTIVE`, `inProgress` -> `STATUS_IN_PROGRESS`. */
export function protoEnumValue(protoName: string, value: string): string {
  const upper = /^[A-Z0-9_]+$/.test(value) ? value : snakeCase(value).toUpperCase();
  return `${enumValuePrefix(protoName)}${upper}`;
}

/** Message field name: lower_snake_case (buf FIELD_LOWER_SNAKE_CASE). */
export function protoFieldName(name: string): string {
  return snakeCase(name);
}
