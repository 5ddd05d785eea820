/**
 * The intermediate representation every target reads.
 *
 * Plain, JSON-serialisable data: both readers (Prisma, GraphQL SDL) build it,
 * `ir/validate.ts` checks it, and targets turn it into files. Nothing here
 * knows about a particular output.
 */

import type { BaseFieldName, BaseFieldNames, MergeRule, ScalarType, SyncDirection, SyncStrategy } from '../../protocol/index';

// The vocabularies and the base-field table live in the protocol module, shared with the runtimes.
export {
  BASE_FIELDS,
  MERGE_RULES,
  REQUIRED_BASE_FIELDS,
  RESERVED_COLUMNS,
  SCALAR_TYPES,
  SYNC_DIRECTIONS,
  SYNC_STRATEGIES,
  type BaseFieldName,
  type MergeRule,
  type ScalarType,
  type SyncDirection,
  type SyncStrategy,
} from '../../protocol/index';

/** A position in a user's input file; `line` and `column` are 1-based. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

export type FieldType = { kind: 'scalar'; scalar: ScalarType } | { kind: 'enum'; enum: string };

/** A default the server applies when a create omits the field. */
export type FieldDefault = { kind: 'value'; value: string | number | boolean } | { kind: 'function'; name: string };

export interface IrField {
  /** Name in the schema (camelCase), also the wire name and the model property. */
  name: string;
  /** Local (WatermelonDB) column, snake_case. */
  column: string;
  /** Server column name when the schema maps it (`@map`), else null. */
  dbName: string | null;
  type: FieldType;
  isList: boolean;
  /** Non-null on the server. Local columns of base fields may still be optional. */
  isRequired: boolean;
  isId: boolean;
  isUnique: boolean;
  /** One of the CrtBaseEntity fields (docs/PROTOCOL.md "Base fields"). */
  isBase: boolean;
  /** The base-field role, when the field plays one under another name (config `baseFields`: `rowVersion` -> `version`). */
  baseRole?: BaseFieldName;
  default: FieldDefault | null;
  /** Server-managed value (`@updatedAt`, `version`, ...): pulled, never pushed by clients. */
  serverManaged: boolean;
  /** `@sync.ignore`: never leaves the server. */
  ignore: boolean;
  /** `@sync.readonly`: pulled, never pushed. */
  readonly: boolean;
  merge: MergeRule;
  /** Indexed local column (`@sync.index`, relation keys). */
  index: boolean;
  /** Prisma native database type (`Uuid`, `Timestamptz(6)`), when declared: the server's SQL casts to it. */
  nativeType?: string;
  /** `@updatedAt` on a field other than the base `updatedAt`: the server stamps it on every write. */
  stampedOnWrite?: true;
  /**
   * `@sync.file` / `@syncFile`: the value is the key of a stored object the
   * server issued in an upload ticket (docs/PROTOCOL.md "Media").
   */
  file?: IrFileSpec;
  location: SourceLocation;
}

/** Limits of a file field; absent ones are unlimited. */
export interface IrFileSpec {
  /** Largest object in bytes (`maxBytes`). */
  maxBytes?: number;
  /** Accepted media types (`accept: "image/*,application/pdf"`), split on commas. */
  accept?: string[];
}

export interface IrRelation {
  /** Property name on this entity (`space`, `groups`). */
  name: string;
  kind: 'belongsTo' | 'hasMany';
  /** Related entity name. */
  target: string;
  /**
   * Field holding the related id: on this entity for `belongsTo`, on the
   * target for `hasMany`.
   */
  foreignKey: string;
  /** belongsTo only: the key never changes after create (`@sync.readonly` key). */
  immutable: boolean;
  isRequired: boolean;
  location: SourceLocation;
}

export interface IrEntity {
  name: string;
  /** Local table (default: snake_case plural of the name). */
  table: string;
  /** Server table when the schema maps it (`@@map`), else null. */
  dbName: string | null;
  strategy: SyncStrategy;
  direction: SyncDirection;
  /** Isolation field (default `tenantId`). */
  scope: string;
  /** Base fields this entity declares under other names (config `baseFields`); absent when none is renamed. */
  baseFields?: BaseFieldNames;
  /** Base fields first in canonical order, then entity fields in schema order. */
  fields: IrField[];
  relations: IrRelation[];
  location: SourceLocation;
}

export interface IrEnum {
  name: string;
  values: string[];
  /** Database enum name (`@@map`), when mapped. */
  dbName?: string;
  /** Database value of each mapped value (`@map`), by schema value. */
  dbValues?: Record<string, string>;
  location: SourceLocation;
}

export interface Ir {
  /** Synced entities in schema order (files, then declaration order). */
  entities: IrEntity[];
  /** Enums used by synced entities, sorted by name. */
  enums: IrEnum[];
  /** Input files, as given (relative to the working directory). */
  sources: string[];
}
