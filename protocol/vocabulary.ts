/**
 * The words of the sync protocol (docs/PROTOCOL.md), declared once. The
 * generator validates annotations against them, the runtimes switch over
 * them, and `schema/directives.graphql` spells them in CONSTANT_CASE (a test
 * keeps the two in step).
 */

/** How a version mismatch on update is resolved (docs/PROTOCOL.md "Conflicts"). */
export const SYNC_STRATEGIES = ['lastWriteWins', 'serverMerge', 'manual'] as const;
export type SyncStrategy = (typeof SYNC_STRATEGIES)[number];

/** Whether clients may push an entity (`pullOnly`: reference data). */
export const SYNC_DIRECTIONS = ['bidirectional', 'pullOnly'] as const;
export type SyncDirection = (typeof SYNC_DIRECTIONS)[number];

/** Per-field merge rules; only `serverMerge` entities apply them (see `mergeRules.ts`). */
export const MERGE_RULES = ['lww', 'counter', 'append', 'union', 'max', 'min', 'manual'] as const;
export type MergeRule = (typeof MERGE_RULES)[number];

/** Scalar types a synced field may have in the schema. */
export const SCALAR_TYPES = ['String', 'Boolean', 'Int', 'BigInt', 'Float', 'Decimal', 'DateTime', 'Json', 'Bytes'] as const;
export type ScalarType = (typeof SCALAR_TYPES)[number];

/** Scalar of a field on the wire: a schema scalar, or `Enum` (a string naming one value). */
export const WIRE_SCALARS = [...SCALAR_TYPES, 'Enum'] as const;
export type WireScalar = (typeof WIRE_SCALARS)[number];

/** Why a push item failed (`SyncResult.errorCode`). */
export const SYNC_ERROR_CODES = ['VALIDATION', 'CONFLICT', 'FORBIDDEN', 'NOT_FOUND', 'INTERNAL'] as const;
export type SyncErrorCode = (typeof SYNC_ERROR_CODES)[number];

/** Why a whole request failed (GraphQL error `extensions.code`), as opposed to one push item. */
export const REQUEST_ERROR_CODES = [
  'UNAUTHENTICATED',
  'BAD_REQUEST',
  // Media operations (docs/PROTOCOL.md "Media"): another tenant's key, or not allowed.
  'FORBIDDEN',
  'BAD_CURSOR',
  'RESYNC_REQUIRED',
  'BATCH_TOO_LARGE',
  'UNKNOWN_ENTITY',
  // Raised by the server's `syncDocumentLimits` plugin (runtime/server/documentLimits.ts), before execution.
  'DOCUMENT_TOO_COMPLEX',
] as const;
export type RequestErrorCode = (typeof REQUEST_ERROR_CODES)[number];

/** Error codes a client must not retry: resending the same item fails the same way. */
export const NON_RETRYABLE_ERROR_CODES: readonly SyncErrorCode[] = ['VALIDATION', 'FORBIDDEN'];

/** Why a push item conflicts; stored by clients as `conflicts.conflict_type`. */
export const CONFLICT_TYPES = ['VERSION_MISMATCH', 'SERVER_NEWER', 'EQUAL_TIMESTAMP', 'FIELD_CONFLICT', 'DELETED'] as const;
export type ConflictType = (typeof CONFLICT_TYPES)[number];

/** Operations of a push item (`SyncOp` in the generated SDL, lower-cased on the wire). */
export const PUSH_OPERATIONS = ['create', 'update', 'delete'] as const;
export type PushOperation = (typeof PUSH_OPERATIONS)[number];

/** What the authorization hook is asked about a record. */
export const SYNC_OPERATIONS = ['read', ...PUSH_OPERATIONS] as const;
export type SyncOperation = (typeof SYNC_OPERATIONS)[number];

/** Operations recorded in the client's `operation_queue.operation` column. */
export const QUEUE_OPERATIONS = ['insert', 'update', 'delete'] as const;
export type QueueOperation = (typeof QUEUE_OPERATIONS)[number];

/**
 * States of a client queue entry (`operation_queue.status`).
 * - `pending`: waiting to be pushed (possibly after `nextAttemptAt`, when retrying).
 *   With `attempts > 0` it was sent before and its answer never arrived.
 * - `sending`: handed to the transport. Written in the transaction that
 *   prepares the push request, before a byte leaves the device, so it
 *   survives a crash: the server may already have committed it (see the
 *   client's `maybeCommitted`, docs/PROTOCOL.md "Crash safety").
 * - `failed`: parked after a non-retryable error; edited again, it is retried.
 * - `conflict`: the server refused it as a conflict; waits for `resolveConflict`.
 * - `success`: acknowledged. Acknowledged entries are deleted, so listings never show it.
 */
export const QUEUE_STATUSES = ['pending', 'sending', 'failed', 'success', 'conflict'] as const;
export type QueueStatus = (typeof QUEUE_STATUSES)[number];

/** True when `value` is one of `words`; narrows the type. */
export function isOneOf<T extends string>(words: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (words as readonly string[]).includes(value);
}
