import type { Diagnostic } from '../diagnostics';
import type { FieldDefault, SourceLocation } from '../ir/types';

/**
 * What a reader found in one input, before any sync rule is applied.
 * Readers return facts; `ir/build.ts` turns them into the IR.
 */

export interface AnnotationArg {
  value: string;
  location: SourceLocation;
}

/** `@sync(strategy: manual)`, `@sync.merge(counter)`, `@syncMerge(rule: COUNTER)`. */
export interface Annotation {
  /** Normalised name: `sync`, `sync.ignore`, `sync.readonly`, `sync.merge`, `sync.index`, or what the user wrote. */
  name: string;
  positional: AnnotationArg[];
  named: Record<string, AnnotationArg>;
  location: SourceLocation;
}

export type FieldKind = 'scalar' | 'enum' | 'object' | 'unsupported';

export interface RelationFacts {
  /** Scalar fields on this model holding the foreign key (empty on the other side). */
  fromFields: string[];
  relationName: string | null;
  /** Fields of the related model the key refers to (Prisma `references`); absent in SDL (the related `id`). */
  toFields?: string[];
}

export interface FieldFacts {
  name: string;
  /** Type as written (`String`, `DateTime`, an enum or model name). */
  typeName: string;
  kind: FieldKind;
  isList: boolean;
  isRequired: boolean;
  isId: boolean;
  isUnique: boolean;
  isUpdatedAt: boolean;
  default: FieldDefault | null;
  dbName: string | null;
  relation: RelationFacts | null;
  annotations: Annotation[];
  location: SourceLocation;
  /** Location of the type name, for type diagnostics. */
  typeLocation: SourceLocation;
  /** Declared through `implements CrtBaseEntity` rather than written out. */
  implicit: boolean;
  /** Prisma native database type (`@db.Uuid` -> `Uuid`, `@db.VarChar(40)` -> `VarChar(40)`), when declared. */
  nativeType?: string;
}

export interface ModelFacts {
  name: string;
  dbName: string | null;
  /** A compound primary key (Prisma `@@id([a, b])`), else absent. */
  compoundId?: string[];
  annotations: Annotation[];
  fields: FieldFacts[];
  location: SourceLocation;
}

export interface EnumFacts {
  name: string;
  values: string[];
  /** Database enum name (`@@map`), when mapped. */
  dbName?: string;
  /** Database value of each mapped value (`@map`), by schema value. */
  dbValues?: Record<string, string>;
  location: SourceLocation;
}

export interface SchemaFacts {
  models: ModelFacts[];
  enums: EnumFacts[];
  /** Syntax and reader-level problems, already located. */
  diagnostics: Diagnostic[];
  sources: string[];
}
