/**
 * Server runtime of trackhub-sync: what the generated `server/` code imports.
 * The generated files describe the entities; the logic of pull, push,
 * conflicts and the cursor lives here, once.
 */
export { tenantIsolation } from './authorize';
export { describeEntity, describeField } from './describeEntity';
export { createSyncCore, type EntityRuntime, type SyncCore, type SyncCoreOptions } from './core';
export { decodeCursor, encodeCursor, type Cursor } from './cursor';
export { nestingDepth, syncDocumentLimits, type DocumentLimits, type DocumentLimitsPlugin } from './documentLimits';
export { requestError, type RequestErrorCode } from './errors';
export { purgeSyncOperations, purgeTombstones } from './maintenance';
export { classifyDatabaseError, type DatabaseErrorClass } from './push/databaseErrors';
export { appendMerge, resolveUpdate, unionMerge } from './push/merge';
export { MAX_JSON_DEPTH } from './push/values';
export { OPERATION_TABLE } from './push/write';
export { markServerWrites } from './serverWrites';
export {
  createSyncHandlers,
  type GetAuth,
  type OperationEvent,
  type SyncFileUrlResponse,
  type SyncHandlers,
  type SyncServerOptions,
} from './resolvers';
export { acceptsType } from './storage/accept';
export { isUuid, ownsUploadKey, parseUploadKey, uploadKey } from './storage/keys';
export { presignedStorage, type PresignedStorageOptions, type PresignRequest, type PresignedUrl } from './storage/presigned';
export type * from './storage/types';
export { DateTimeScalar, JSONScalar } from './scalars';
export { COUNTER_TABLE } from './sequence';
export type * from './types';
