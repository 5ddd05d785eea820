/**
 * Shapes shared by the generated server code and the runtime: entity
 * descriptors (emitted by the server target from the IR), the request
 * context, and the wire types of docs/PROTOCOL.md.
 */

import type {
  BaseFieldNames,
  ConflictType,
  FieldAccess,
  MergeRule,
  PushOperation,
  SyncDirection,
  SyncErrorCode,
  SyncOperation,
  SyncStrategy,
  WireScalar,
} from '../../protocol/index';

// The vocabularies are the protocol module's (protocol/vocabulary.ts); re-exported under the runtime's names.
export type { ConflictType, FieldAccess, SyncDirection, SyncErrorCode, SyncOperation, SyncStrategy };
export type SyncScalar = WireScalar;
export type SyncMergeRule = MergeRule;

/** A default applied when a create omits the field (raw inserts bypass Prisma's defaults). */
export type SyncFieldDefault = { kind: 'value'; value: string | number | boolean } | { kind: 'function'; name: string };

/** Limits of a file field (`@sync.file`, docs/PROTOCOL.md "Media"); an absent one is unlimited. */
export interface SyncFileSpec {
  /** Largest object in bytes. */
  maxBytes?: number;
  /** Accepted media types (`image/*`, `application/pdf`), lower case. */
  accept?: string[];
}

export interface SyncFieldDescriptor {
  /** Schema / wire name. */
  name: string;
  /** Server column (`@map`) name. */
  column: string;
  type: SyncScalar;
  /** Database enum type name (`@@map`), for `type: 'Enum'`. */
  enumName?: string;
  /** Database value of each mapped enum value (`@map`), by wire value; unmapped values are stored as sent. */
  enumValues?: Record<string, string>;
  /** PostgreSQL column type when the schema names one (`@db.Uuid` -> `uuid`); else Prisma's default for `type`. */
  dbType?: string;
  /** `@updatedAt` (other than the base `updatedAt`): set to the server time on every create and update. */
  stampedOnWrite?: true;
  isList: boolean;
  isRequired: boolean;
  access: FieldAccess;
  merge: SyncMergeRule;
  default: SyncFieldDefault | null;
  /** A file field: its value is a storage key the server issued (`SyncStorage`). */
  file?: SyncFileSpec;
}

export interface SyncRelationDescriptor {
  /** Foreign key field on this entity. */
  field: string;
  /** Target entity name. */
  target: string;
}

export interface SyncEntityDescriptor {
  name: string;
  /** Prisma Client delegate (`prisma.space`). */
  delegate: string;
  /** Server table (`@@map`) name. */
  table: string;
  strategy: SyncStrategy;
  direction: SyncDirection;
  /** Isolation field (tenant). */
  scope: string;
  /**
   * The schema names of the base fields (config `baseFields`, docs/PROTOCOL.md
   * "Base-field names"): `{ clientId, version, updatedAt, deletedAt }`, each its
   * protocol name unless renamed.
   */
  base: Required<BaseFieldNames>;
  /** Default pull page size for this entity. */
  pageSize: number;
  /** Hash of the pulled shape: changes when a field is added, removed or retyped. */
  versionHash: string;
  fields: SyncFieldDescriptor[];
  /** belongsTo relations whose keys are checked to stay in the tenant. */
  relations: SyncRelationDescriptor[];
  /**
   * The change-sequence field (`syncSeq BigInt @default(0)`, `@sync.ignore`),
   * or null when the schema lacks it: such an entity cannot be served.
   */
  sequence: { field: string; column: string } | null;
}

/** Zod-like validators of push data, generated per entity (`server/validators.ts`). */
export interface DataValidator {
  safeParse(data: unknown): { success: true; data: unknown } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
}

/**
 * A field as generated code declares it: what is at its default is left out
 * (`column`: the name; `isList`, `isRequired`: false; `access`: writable;
 * `merge`: lww; `default`: null). `describeEntity` fills the defaults in.
 */
export interface SyncFieldSpec {
  name: string;
  type: SyncScalar;
  column?: string;
  enumName?: string;
  enumValues?: Record<string, string>;
  dbType?: string;
  stampedOnWrite?: true;
  isList?: boolean;
  isRequired?: boolean;
  access?: FieldAccess;
  merge?: SyncMergeRule;
  default?: SyncFieldDefault | null;
  file?: SyncFileSpec;
}

/** An entity descriptor as generated code declares it (`server/entities.ts`); see `SyncFieldSpec`. */
export interface SyncEntitySpec extends Omit<SyncEntityDescriptor, 'fields' | 'relations' | 'sequence' | 'base'> {
  fields: readonly SyncFieldSpec[];
  /** Only the renamed base fields; default: none. */
  base?: BaseFieldNames;
  /** Default: none. */
  relations?: readonly SyncRelationDescriptor[];
  /** `column` defaults to `field`. */
  sequence: { field: string; column?: string } | null;
}

/** An entity as the generated code hands it to the runtime. */
export interface SyncEntityDefinition {
  /** A full descriptor, or the generated spec whose defaults the runtime fills in. */
  descriptor: SyncEntitySpec;
  /** Absent for `pullOnly` entities. */
  validators: { create: DataValidator; update: DataValidator } | null;
}

/** The authenticated caller, taken from the request context (never from a payload). */
export interface SyncAuth {
  tenantId: string;
  userId: string | null;
}

/**
 * Authorization hook called for every record read or written. The default
 * (`tenantIsolation`) allows a record only when its scope field is the
 * caller's tenant. Return false to refuse (`FORBIDDEN`, or left out of a pull).
 */
export type AuthorizeFn = (auth: SyncAuth, entity: SyncEntityDescriptor, op: SyncOperation, record: Record<string, unknown>) => boolean;

/** A record on the wire (docs/PROTOCOL.md "Values on the wire"). */
export type WireRecord = Record<string, unknown>;

export interface SyncPullArgs {
  since?: string | null;
  cursor?: string | null;
  limit?: number | null;
}

export interface SyncPullResponse<T = WireRecord> {
  items: T[];
  deletedIds: string[];
  lastSyncAt: string;
  cursor: string;
  hasMore: boolean;
  versionHash: string | null;
}

export interface ConflictPayload {
  serverData: WireRecord | null;
  clientData: WireRecord | null;
  serverVersion: number | null;
  resolutionSuggested: WireRecord | null;
  conflictType: ConflictType;
}

export interface SyncResultItem {
  clientId: string | null;
  id: string | null;
  success: boolean;
  errorCode: SyncErrorCode | null;
  errorMessage: string | null;
  version: number | null;
  updatedAt: string | null;
  conflict: ConflictPayload | null;
}

/** One push item (docs/PROTOCOL.md "Push"), after envelope validation. */
export interface PushItem {
  opId: string;
  op: PushOperation;
  clientId: string | null;
  id: string | null;
  baseVersion: number | null;
  updatedAt: string | null;
  data: WireRecord;
  base: WireRecord | null;
}

/**
 * The parts of a Prisma Client the runtime uses. Model delegates are looked
 * up by `SyncEntityDescriptor.delegate`.
 */
export interface PrismaLike {
  $transaction<R>(fn: (tx: PrismaTx) => Promise<R>, options?: { maxWait?: number; timeout?: number }): Promise<R>;
  $queryRawUnsafe<R = unknown>(query: string, ...values: unknown[]): Promise<R>;
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
}

/** A Prisma Client inside an interactive transaction. */
export interface PrismaTx {
  $queryRawUnsafe<R = unknown>(query: string, ...values: unknown[]): Promise<R>;
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
}

/** The model delegate calls the runtime makes. */
export interface ModelDelegate {
  findMany(args: object): Promise<Record<string, unknown>[]>;
}

/** SQL flavour of the database behind Prisma Client. */
export type SqlDialect = 'sqlite' | 'postgresql';
